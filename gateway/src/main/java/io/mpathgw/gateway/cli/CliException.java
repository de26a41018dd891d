package io.mpathgw.gateway.cli;

/**
 * Ends a command with one line on stderr and an exit code: {@link #USAGE} (2) when the command line is wrong,
 * {@link #REFUSED} (1) when the gateway refused or could not be reached. {@code printFail}: multipathd would have
 * answered "fail", so stdout gets that line too.
 */
final class CliException extends RuntimeException {

    static final int REFUSED = 1;
    static final int USAGE = 2;

    private final int exitCode;
    private final boolean printFail;

    private CliException(int exitCode, String message, boolean printFail) {
        super(message, null, false, false);
        this.exitCode = exitCode;
        this.printFail = printFail;
    }

    static CliException usage(String message) {
        return new CliException(USAGE, message, false);
    }

    static CliException refused(String message) {
        return new CliException(REFUSED, message, false);
    }

    /** The same failure, for a multipathd action whose reply would have been "fail". */
    CliException asFail() {
        return new CliException(exitCode, getMessage(), exitCode == REFUSED);
    }

    int exitCode() {
        return exitCode;
    }

    boolean printFail() {
        return printFail;
    }
}
