package io.mpathgw.scsi;

import java.io.IOException;

/**
 * A {@link BlockDevice} refused or failed a request for a reason of the LU, which a SCSI target reports with the
 * same {@link #status()}: CHECK CONDITION with the {@link #sense()} that the target's SBC emulation sends back
 * ({@link Sense#LBA_OUT_OF_RANGE}, {@link Sense#WRITE_ERROR}, …), or a status that carries no sense, such as
 * RESERVATION CONFLICT (another initiator holds a persistent reservation) or BUSY. Failures of the path rather than
 * the LU arrive as {@link TransportException}.
 */
public final class BlockDeviceException extends IOException {

    private final int status;
    private final Sense sense;

    /** CHECK CONDITION with {@code sense} (null when the device sent none). */
    public BlockDeviceException(Sense sense, String message) {
        this(ScsiResponse.CHECK_CONDITION, sense, message);
    }

    /**
     * @param status the SCSI status byte the LU ended the request with (SAM-5 Table 37): CHECK CONDITION,
     *               RESERVATION CONFLICT, BUSY, TASK SET FULL…; never GOOD or CONDITION MET, which are not failures
     * @param sense  the sense data, or null when the status carries none
     */
    public BlockDeviceException(int status, Sense sense, String message) {
        super(message);
        if (status < 0 || status > 0xFF || status == ScsiResponse.GOOD || status == ScsiResponse.CONDITION_MET)
            throw new IllegalArgumentException(String.format("status: 0x%02x (expected: a SCSI status byte other"
                    + " than GOOD and CONDITION MET); %s", status, message));
        this.status = status;
        this.sense = sense;
    }

    /** The SCSI status byte a target answers with, e.g. {@link ScsiResponse#RESERVATION_CONFLICT}. */
    public int status() {
        return status;
    }

    /** The sense data; null for a status without it (RESERVATION CONFLICT, BUSY) or a CHECK CONDITION sent bare. */
    public Sense sense() {
        return sense;
    }

    /** The standard refusal of a range past the end of the medium, naming lba, count and capacity. */
    public static BlockDeviceException outOfRange(long lba, long blocks, long blockCount) {
        return new BlockDeviceException(Sense.LBA_OUT_OF_RANGE, "lba: " + lba + ", blocks: " + blocks
                + " (expected: lba + blocks <= " + blockCount + " blocks)");
    }
}
