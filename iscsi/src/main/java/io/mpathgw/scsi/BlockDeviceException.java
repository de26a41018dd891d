package io.mpathgw.scsi;

import java.io.IOException;

/**
 * A {@link BlockDevice} refused or failed a request for a reason a SCSI target reports as CHECK CONDITION: the
 * {@link #sense()} is what the target's SBC emulation sends back ({@link Sense#LBA_OUT_OF_RANGE},
 * {@link Sense#WRITE_ERROR}, …). Failures of the path rather than the LU arrive as {@link TransportException}.
 */
public final class BlockDeviceException extends IOException {

    private final Sense sense;

    public BlockDeviceException(Sense sense, String message) {
        super(message);
        this.sense = sense;
    }

    public Sense sense() {
        return sense;
    }

    /** The standard refusal of a range past the end of the medium, naming lba, count and capacity. */
    public static BlockDeviceException outOfRange(long lba, long blocks, long blockCount) {
        return new BlockDeviceException(Sense.LBA_OUT_OF_RANGE, "lba: " + lba + ", blocks: " + blocks
                + " (expected: lba + blocks <= " + blockCount + " blocks)");
    }
}
