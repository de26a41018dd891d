package io.mpathgw.iscsi.cli;

import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ReadCapacity;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.ScsiTransport;
import io.mpathgw.scsi.Sense;
import io.netty.buffer.ByteBufUtil;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The control-path commands of the tools, one at a time and waited for: their data is small and copied out of the
 * response into a {@code byte[]} (the response is released here). Every failure becomes a {@link CliFailure} naming
 * the command, the LU and the status or sense: {@code INQUIRY VPD 0x83 on 127.0.0.1:3260 iqn… lun 1: CHECK
 * CONDITION ILLEGAL REQUEST 24/00}.
 */
final class ScsiCalls {

    /** Allocation length of the first INQUIRY VPD: enough for every page tgt and LIO return. */
    private static final int VPD_FIRST = 255;
    private static final int TUR_ATTEMPTS = 8;

    private final ScsiTransport lu;
    private final Duration timeout;

    ScsiCalls(ScsiTransport lu, Duration timeout) {
        this.lu = lu;
        this.timeout = timeout;
    }

    ScsiTransport transport() {
        return lu;
    }

    /** Runs {@code cmd} and returns its Data-In, or fails unless the status is GOOD. */
    byte[] data(String name, ScsiCommand cmd) throws CliFailure, InterruptedException {
        ScsiResponse r = response(name, cmd);
        try {
            if (!r.isGood()) throw failure(name, ScsiResponse.statusName(r.status()) + (r.sense() != null ? " " + r.sense() : ""));
            return ByteBufUtil.getBytes(r.data());
        } finally {
            r.release();
        }
    }

    /** Runs {@code cmd}; the caller owns the response. Transport failures and timeouts become a {@link CliFailure}. */
    ScsiResponse response(String name, ScsiCommand cmd) throws CliFailure, InterruptedException {
        try {
            // the transport's own command timeout fires first; this bound only guards against a lost completion
            return lu.submit(cmd).get(timeout.toMillis() + 5000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw failure(name, e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw failure(name, "no completion after " + SessionScope.seconds(timeout.plusSeconds(5)));
        }
    }

    CliFailure failure(String name, String why) {
        return new CliFailure(name + " on " + lu.describe() + ": " + withoutPath(why, lu.describe()));
    }

    /**
     * {@code why} without a trailing {@code "; <session>"} that {@code path} already names: the initiator ends its
     * transport errors with the session, and the message names the LU before it.
     */
    static String withoutPath(String why, String path) {
        int i = why == null ? -1 : why.lastIndexOf("; ");
        return i >= 0 && path.startsWith(why.substring(i + 2)) ? why.substring(0, i) : why;
    }

    /**
     * TEST UNIT READY until it stops reporting UNIT ATTENTION (a fresh login collects the power-on / reset one);
     * returns the final response's sense, or null when GOOD.
     */
    Sense clearUnitAttention() throws CliFailure, InterruptedException {
        Sense last = null;
        for (int i = 0; i < TUR_ATTEMPTS; i++) {
            ScsiResponse r = response("TEST UNIT READY", ScsiCommand.none(Cdb.testUnitReady()));
            r.release();
            if (r.isGood()) return null;
            last = r.sense();
            if (r.status() != ScsiResponse.CHECK_CONDITION || last == null || last.senseKey() != Sense.UNIT_ATTENTION)
                return last;
        }
        return last;
    }

    byte[] inquiry() throws CliFailure, InterruptedException {
        return data("INQUIRY", ScsiCommand.read(Cdb.inquiry(96), 96));
    }

    /** A whole VPD page, or null when the device answers CHECK CONDITION (typically: page not supported). */
    byte[] vpdIfSupported(int page) throws CliFailure, InterruptedException {
        ScsiResponse r = response(String.format("INQUIRY VPD 0x%02x", page),
                ScsiCommand.read(Cdb.inquiryVpd(page, VPD_FIRST), VPD_FIRST));
        boolean checkCondition = r.status() == ScsiResponse.CHECK_CONDITION;
        r.release();
        return checkCondition ? null : vpd(page);
    }

    /** A whole VPD page: asks again with the page's own length when the first answer was cut. */
    byte[] vpd(int page) throws CliFailure, InterruptedException {
        String name = String.format("INQUIRY VPD 0x%02x", page);
        byte[] d = data(name, ScsiCommand.read(Cdb.inquiryVpd(page, VPD_FIRST), VPD_FIRST));
        if (d.length < 4) throw failure(name, d.length + " bytes of data (expected: >= 4, the VPD page header)");
        int total = 4 + ((d[2] & 0xff) << 8 | (d[3] & 0xff));
        if (total <= d.length || total > 0xFFFF) return d;
        return data(name, ScsiCommand.read(Cdb.inquiryVpd(page, total), total));
    }

    ReadCapacity readCapacity16() throws CliFailure, InterruptedException {
        byte[] d = data("READ CAPACITY(16)", ScsiCommand.read(Cdb.readCapacity16(ReadCapacity.LENGTH_16), ReadCapacity.LENGTH_16));
        return parse("READ CAPACITY(16)", () -> ReadCapacity.parse16(d));
    }

    /** Parses, turning a {@code ScsiDataException} (bad parameter data) into a failure of the command. */
    <T> T parse(String name, java.util.function.Supplier<T> parser) throws CliFailure {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw failure(name, "unexpected data: " + e.getMessage());
        }
    }
}
