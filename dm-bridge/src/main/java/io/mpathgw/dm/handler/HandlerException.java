package io.mpathgw.dm.handler;

import io.mpathgw.dm.engine.ScsiDh;

/** A handler did not attach to a path: the SCSI_DH code its attach returned, and why, in the kernel's words. */
public final class HandlerException extends Exception {

    private final int scsiDh;

    public HandlerException(int scsiDh, String message) {
        super(message + " (" + codeName(scsiDh) + ")");
        this.scsiDh = scsiDh;
    }

    /** The {@link ScsiDh} code. */
    public int scsiDh() {
        return scsiDh;
    }

    /**
     * {@code attach} as callers see it: a failure thrown inside a stage ({@code CompletionException} around a
     * HandlerException) becomes the HandlerException itself.
     */
    static <T> java.util.concurrent.CompletableFuture<T> unwrapped(java.util.concurrent.CompletableFuture<T> f) {
        java.util.concurrent.CompletableFuture<T> out = new java.util.concurrent.CompletableFuture<>();
        f.whenComplete((v, e) -> {
            if (e == null) out.complete(v);
            else out.completeExceptionally(e instanceof java.util.concurrent.CompletionException
                    && e.getCause() != null ? e.getCause() : e);
        });
        return out;
    }

    /** SCSI_DH_IO for 8, …, as include/scsi/scsi_dh.h names them. */
    public static String codeName(int code) {
        return switch (code) {
            case ScsiDh.OK -> "SCSI_DH_OK";
            case ScsiDh.DEV_FAILED -> "SCSI_DH_DEV_FAILED";
            case ScsiDh.DEV_TEMP_BUSY -> "SCSI_DH_DEV_TEMP_BUSY";
            case ScsiDh.DEV_UNSUPP -> "SCSI_DH_DEV_UNSUPP";
            case ScsiDh.NOTCONN -> "SCSI_DH_NOTCONN";
            case ScsiDh.CONN_FAILURE -> "SCSI_DH_CONN_FAILURE";
            case ScsiDh.IO -> "SCSI_DH_IO";
            case ScsiDh.INVALID_IO -> "SCSI_DH_INVALID_IO";
            case ScsiDh.RETRY -> "SCSI_DH_RETRY";
            case ScsiDh.IMM_RETRY -> "SCSI_DH_IMM_RETRY";
            case ScsiDh.TIMED_OUT -> "SCSI_DH_TIMED_OUT";
            case ScsiDh.RES_TEMP_UNAVAIL -> "SCSI_DH_RES_TEMP_UNAVAIL";
            case ScsiDh.DEV_OFFLINED -> "SCSI_DH_DEV_OFFLINED";
            case ScsiDh.NOMEM -> "SCSI_DH_NOMEM";
            case ScsiDh.NOSYS -> "SCSI_DH_NOSYS";
            default -> "SCSI_DH " + code;
        };
    }
}
