package io.mpathgw.gateway.daemon;

import io.mpathgw.scsi.BlockDeviceException;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiTransport;
import io.mpathgw.scsi.Sense;
import io.netty.buffer.ByteBufUtil;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The control-path commands of discovery and prioritizers (INQUIRY, VPD pages, REPORT LUNS, READ CAPACITY(16),
 * REPORT TARGET PORT GROUPS). Small answers, read once per check at most, so they come back as byte arrays.
 * Unit attentions are retried as sd's scan does (up to 5), because the first command of a new session gets 29/00.
 */
final class ScsiQueries {

    private static final int UA_RETRIES = 5;

    private ScsiQueries() {
    }

    static CompletableFuture<byte[]> inquiry(ScsiTransport t, Duration timeout) {
        return data(t, Cdb.inquiry(96), 96, timeout, "INQUIRY", UA_RETRIES);
    }

    static CompletableFuture<byte[]> vpd(ScsiTransport t, int page, Duration timeout) {
        return data(t, Cdb.inquiryVpd(page, 4096), 4096, timeout, String.format("INQUIRY VPD 0x%02x", page), UA_RETRIES);
    }

    static CompletableFuture<byte[]> reportLuns(ScsiTransport t, Duration timeout) {
        return data(t, Cdb.reportLuns(16384), 16384, timeout, "REPORT LUNS", UA_RETRIES);
    }

    static CompletableFuture<byte[]> readCapacity16(ScsiTransport t, Duration timeout) {
        return data(t, Cdb.readCapacity16(32), 32, timeout, "READ CAPACITY(16)", UA_RETRIES);
    }

    static CompletableFuture<byte[]> rtpg(ScsiTransport t, Duration timeout) {
        return data(t, Cdb.reportTargetPortGroups(false, 4096), 4096, timeout, "REPORT TARGET PORT GROUPS", 3);
    }

    private static CompletableFuture<byte[]> data(ScsiTransport t, byte[] cdb, int length, Duration timeout,
                                                  String what, int retries) {
        return t.submit(ScsiCommand.read(cdb, length).withTimeout(timeout)).thenCompose(r -> {
            try {
                if (r.isGood()) return CompletableFuture.completedFuture(ByteBufUtil.getBytes(r.data()));
                Sense s = r.sense();
                if (retries > 0 && s != null && (s.senseKey() == Sense.UNIT_ATTENTION
                        || s.senseKey() == Sense.NOT_READY && s.asc() == 0x04 && s.ascq() == 0x0A))
                    return data(t, cdb, length, timeout, what, retries - 1);
                return CompletableFuture.failedFuture(new BlockDeviceException(r.status(), s,
                        what + " on " + t.describe() + ": " + r));
            } finally {
                r.release();
            }
        });
    }
}
