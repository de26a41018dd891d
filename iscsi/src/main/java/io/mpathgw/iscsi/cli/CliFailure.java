package io.mpathgw.iscsi.cli;

/**
 * A command that was well formed failed at run time: the portal did not answer, the login was rejected, a SCSI
 * command ended in CHECK CONDITION. {@link IscsiCli} prints the message as one line on stderr and exits with 1.
 */
final class CliFailure extends Exception {

    CliFailure(String message) {
        super(message);
    }

    CliFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
