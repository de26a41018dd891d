package io.mpathgw.dm.handler;

import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.Sense;
import io.mpathgw.scsi.TransportException;

import java.util.HexFormat;

/**
 * How one handler command ended, as scsi_execute_cmd() reports it to a handler: a SCSI status with sense and data,
 * or no status at all because the path failed it ({@link #failure}, the kernel's host byte). The data is a copy; the
 * response buffer was released already.
 *
 * @param status  SCSI status byte; meaningless when {@link #failure} is set
 * @param sense   sense data, or null (scsi_sense_valid() false)
 * @param data    Data-In received, never null
 * @param failure why the transport failed the command, or null when the device answered
 */
record ScsiResult(int status, Sense sense, byte[] data, TransportException.Kind failure) {

    private static final byte[] NONE = new byte[0];

    static ScsiResult of(ScsiResponse r) {
        try {
            byte[] data = new byte[r.data().readableBytes()];
            r.data().getBytes(r.data().readerIndex(), data);
            return new ScsiResult(r.status(), r.sense(), data, null);
        } finally {
            r.release();
        }
    }

    static ScsiResult failed(TransportException.Kind kind) {
        return new ScsiResult(-1, null, NONE, kind);
    }

    /** GOOD (or CONDITION MET): retval 0 of scsi_execute_cmd. */
    boolean good() {
        return failure == null && (status == ScsiResponse.GOOD || status == ScsiResponse.CONDITION_MET);
    }

    /** The device answered with sense data: scsi_sense_valid(). */
    boolean senseValid() {
        return failure == null && sense != null;
    }

    boolean is(int key, int asc, int ascq) {
        return senseValid() && sense.is(key, asc, ascq);
    }

    boolean is(Sense expected) {
        return senseValid() && sense.matches(expected);
    }

    boolean key(int senseKey) {
        return senseValid() && sense.senseKey() == senseKey;
    }

    /**
     * No connection to the device: host byte DID_NO_CONNECT. A session that dropped or closed for good answers every
     * command this way; a timeout, an abort or a protocol error does not.
     */
    boolean noConnect() {
        return failure == TransportException.Kind.CONNECTION_LOST || failure == TransportException.Kind.CLOSED;
    }

    /** For logs: {@code GOOD}, {@code CHECK CONDITION NOT READY 04/0a}, {@code TIMEOUT}. */
    @Override
    public String toString() {
        if (failure != null) return failure.name();
        return ScsiResponse.statusName(status) + (sense != null ? " " + sense : "")
                + (data.length > 0 && data.length <= 16 ? " " + HexFormat.of().formatHex(data) : "");
    }
}
