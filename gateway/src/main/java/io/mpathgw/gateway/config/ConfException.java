package io.mpathgw.gateway.config;

/**
 * A configuration file that cannot be used: a syntax error or a bad value. The message always names where and what:
 * {@code FILE:LINE: KEY: what is wrong (expected: ...)}, so an admin can go straight to the line. A caller holding a
 * running configuration keeps it when a reload throws this (see {@link ConfigLoader}).
 */
public final class ConfException extends Exception {

    private final String file;
    private final int line;
    private final String key;

    public ConfException(String file, int line, String key, String what) {
        super(file + ":" + line + ": " + key + ": " + what);
        this.file = file;
        this.line = line;
        this.key = key;
    }

    /** The file name as the caller gave it (not resolved). */
    public String file() {
        return file;
    }

    /** 1-based line of the offending keyword (of the opening brace for a block that never closes). */
    public int line() {
        return line;
    }

    /** The keyword or section the error is about. */
    public String key() {
        return key;
    }
}
