package io.mpathgw.gateway.config;

/** One word of a configuration file: its text (quotes removed), whether it was quoted, and its 1-based line. */
record ConfToken(String text, boolean quoted, int line) {

    /** An unquoted brace: quoted "{" is a value, not a block delimiter. */
    boolean is(String brace) {
        return !quoted && text.equals(brace);
    }
}
