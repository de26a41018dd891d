package io.mpathgw.gateway.config;

/**
 * Something in a configuration file that was ignored but did not stop it loading: a keyword multipath-tools knows and
 * mpathgw does not implement, an unknown keyword, extra data after a value. {@link #toString()} is the line an admin
 * sees: {@code multipath.conf:12: unsupported keyword 'dev_loss_tmo' in defaults, ignored}.
 */
public record ConfWarning(String file, int line, String key, String message) {

    @Override
    public String toString() {
        return file + ":" + line + ": " + message;
    }
}
