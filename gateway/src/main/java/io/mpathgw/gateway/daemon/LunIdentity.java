package io.mpathgw.gateway.daemon;

import io.mpathgw.scsi.InquiryData;
import io.mpathgw.scsi.ReadCapacity;
import io.mpathgw.scsi.ScsiTransport;
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
 * @param wwid "" when the LU reports no usable designator (the path then joins no map)
 * @param tpg  -1 when the LU reports no target port group
 */
record LunIdentity(int lun, InquiryData inquiry, String wwid, String serial, ReadCapacity capacity, int tpg,
                   int relativeTargetPort) {

    long sectors() {
        return (capacity.lastLba() + 1) * capacity.blockLength() / 512;
    }

    /**
     * Scans {@code lun} through {@code t}; null for a LUN that is not a connected disk; fails when INQUIRY or READ
     * CAPACITY fails (no path then).
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
                                .thenApply(rc -> of(lun, i, v83, serial, rc)))));
    }

    private static LunIdentity of(int lun, InquiryData inq, Vpd83 v83, String serial, ReadCapacity rc) {
        if (v83 == null) return new LunIdentity(lun, inq, "", serial.trim(), rc, -1, -1);
        String wwid = Wwid.of(v83).map(Wwid::value).orElse("");
        return new LunIdentity(lun, inq, wwid, serial.trim(), rc, v83.targetPortGroup().orElse(-1),
                v83.relativeTargetPort().orElse(-1));
    }
}
