package io.mpathgw.gateway.daemon;

import io.mpathgw.scsi.BlockDeviceException;
import io.mpathgw.scsi.InquiryData;
import io.mpathgw.scsi.ReadCapacity;
import io.mpathgw.scsi.ScsiTransport;
import io.mpathgw.scsi.Sense;
import io.mpathgw.scsi.VpdPage;
import io.mpathgw.scsi.Vpd83;
import io.mpathgw.scsi.Wwid;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * What a host's scan learns of one LUN through one session: standard INQUIRY, the WWID from VPD 0x83 (multipath-tools'
 * ranking, {@link Wwid}), the unit serial number (VPD 0x80), the capacity, and the target port group and relative
 * port the LU reports for this path (VPD 0x83 designators 5 and 4).
 *
 * @param wwid     "" when the LU reports no usable designator (the path then joins no map)
 * @param capacity null when READ CAPACITY was refused with NOT READY through this path: a port in ALUA standby or
 *                 unavailable (02/04/0B, 02/04/0C; SPC-4 §5.16.2.4 does not require it to answer) or in transition or
 *                 offline. The path takes the capacity of its map, read through another path of the same WWID
 *                 ({@link #withCapacity})
 * @param tpg      -1 when the LU reports no target port group
 */
record LunIdentity(int lun, InquiryData inquiry, String wwid, String serial, ReadCapacity capacity, int tpg,
                   int relativeTargetPort) {

    /** 512-byte sectors; only when {@link #capacityKnown()}. */
    long sectors() {
        return (capacity.lastLba() + 1) * capacity.blockLength() / 512;
    }

    boolean capacityKnown() {
        return capacity != null;
    }

    /** This identity with the capacity another path of the same LU read. */
    LunIdentity withCapacity(ReadCapacity rc) {
        return new LunIdentity(lun, inquiry, wwid, serial, rc, tpg, relativeTargetPort);
    }

    /**
     * Scans {@code lun} through {@code t}; null for a LUN that is not a connected disk; fails when INQUIRY fails, or
     * READ CAPACITY fails other than with NOT READY (no path then; the scan tries again later).
     */
    static CompletableFuture<LunIdentity> probe(ScsiTransport t, int lun, Duration timeout) {
        CompletableFuture<InquiryData> inq = ScsiQueries.inquiry(t, timeout).thenApply(InquiryData::parse);
        return inq.thenCompose(i -> !i.connected() || i.peripheralDeviceType() != InquiryData.TYPE_DISK
                ? CompletableFuture.completedFuture(null)      // sd binds disks only (a tgt LUN 0 is a controller)
                : ScsiQueries.vpd(t, VpdPage.DEVICE_IDENTIFICATION, timeout)
                .thenApply(Vpd83::parse).exceptionally(e -> null)
                .thenCompose(v83 -> ScsiQueries.vpd(t, VpdPage.UNIT_SERIAL_NUMBER, timeout)
                        .thenApply(VpdPage::unitSerialNumber).exceptionally(e -> "")
                        .thenCompose(serial -> ScsiQueries.readCapacity16(t, timeout).thenApply(ReadCapacity::parse16)
                                .exceptionallyCompose(LunIdentity::unknownIfNotReady)
                                .thenApply(rc -> of(lun, i, v83, serial, rc)))));
    }

    /**
     * Only the WWID of the LU behind {@code t} (one VPD 0x83 read; "" when it reports no usable designator): what a
     * relogin re-checks before the path is checked and reinstated. One round trip instead of the scan's four, as
     * each is on the path back into service.
     */
    static CompletableFuture<String> wwid(ScsiTransport t, Duration timeout) {
        return ScsiQueries.vpd(t, VpdPage.DEVICE_IDENTIFICATION, timeout).thenApply(Vpd83::parse)
                .thenApply(v83 -> Wwid.of(v83).map(Wwid::value).orElse(""));
    }

    /** NOT READY: the port cannot serve media commands now, but the LU is there; any other failure stands. */
    private static CompletableFuture<ReadCapacity> unknownIfNotReady(Throwable e) {
        Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                ? e.getCause() : e;
        if (cause instanceof BlockDeviceException b && b.sense() != null && b.sense().senseKey() == Sense.NOT_READY)
            return CompletableFuture.completedFuture(null);
        return CompletableFuture.failedFuture(cause);
    }

    private static LunIdentity of(int lun, InquiryData inq, Vpd83 v83, String serial, ReadCapacity rc) {
        if (v83 == null) return new LunIdentity(lun, inq, "", serial.trim(), rc, -1, -1);
        String wwid = Wwid.of(v83).map(Wwid::value).orElse("");
        return new LunIdentity(lun, inq, wwid, serial.trim(), rc, v83.targetPortGroup().orElse(-1),
                v83.relativeTargetPort().orElse(-1));
    }
}
