package io.mpathgw.iscsi.cli;

/**
 * The command line is wrong: an unknown flag, a missing or bad value, a bad URL. {@link IscsiCli} prints the message
 * and the subcommand's usage and exits with 2. The message names the flag and the value:
 * {@code --qd: 'x' (expected: a number 1..65536)}.
 */
final class UsageException extends Exception {

    UsageException(String message) {
        super(message);
    }

    static UsageException bad(String flag, String value, String expected) {
        return new UsageException(flag + ": '" + value + "' (expected: " + expected + ")");
    }
}
