package io.mpathgw.scsi;

import io.netty.buffer.ByteBuf;

import java.time.Duration;
import java.util.Objects;

/**
 * One SCSI command to submit through a {@link ScsiTransport}.
 *
 * @param cdb            the CDB, 6..16 bytes (longer CDBs travel in an AHS)
 * @param direction      direction of the data phase
 * @param dataOut        Data-Out payload for {@link DataDirection#WRITE}, else {@code null}. Ownership passes to
 *                       the transport on {@link ScsiTransport#submit}: it releases the buffer exactly once,
 *                       whether the command succeeds or fails.
 * @param expectedLength Expected Data Transfer Length in bytes (Data-In allocation or Data-Out size)
 * @param timeout        per-command timeout; {@link Duration#ZERO} means the transport's default
 */
public record ScsiCommand(byte[] cdb, DataDirection direction, ByteBuf dataOut, int expectedLength, Duration timeout) {

    public ScsiCommand {
        Objects.requireNonNull(cdb, "cdb");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(timeout, "timeout");
        if (cdb.length < 6 || cdb.length > 260)
            throw new IllegalArgumentException("CDB length: " + cdb.length + " (expected: 6..260)");
        if (expectedLength < 0)
            throw new IllegalArgumentException("expectedLength: " + expectedLength + " (expected: >= 0)");
        if ((direction == DataDirection.WRITE) != (dataOut != null))
            throw new IllegalArgumentException("dataOut: " + (dataOut == null ? "null" : "present")
                    + " (expected: present exactly for WRITE, direction is " + direction + ")");
        if (dataOut != null && dataOut.readableBytes() != expectedLength)
            throw new IllegalArgumentException("dataOut: " + dataOut.readableBytes()
                    + " bytes (expected: expectedLength " + expectedLength + ")");
    }

    /** A command without a data phase. */
    public static ScsiCommand none(byte[] cdb) {
        return new ScsiCommand(cdb, DataDirection.NONE, null, 0, Duration.ZERO);
    }

    /** A command that reads up to {@code allocationLength} bytes. */
    public static ScsiCommand read(byte[] cdb, int allocationLength) {
        return new ScsiCommand(cdb, DataDirection.READ, null, allocationLength, Duration.ZERO);
    }

    /** A command that writes {@code data}; the transport takes ownership of it. */
    public static ScsiCommand write(byte[] cdb, ByteBuf data) {
        return new ScsiCommand(cdb, DataDirection.WRITE, data, data.readableBytes(), Duration.ZERO);
    }

    public ScsiCommand withTimeout(Duration t) {
        return new ScsiCommand(cdb, direction, dataOut, expectedLength, t);
    }
}
