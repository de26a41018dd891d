package io.mpathgw.iscsi.cli;

import io.mpathgw.iscsi.initiator.DiscoveredTarget;
import io.mpathgw.iscsi.initiator.Session;
import io.mpathgw.iscsi.initiator.TargetAddress;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.InquiryData;
import io.mpathgw.scsi.Lun;
import io.mpathgw.scsi.ReadCapacity;
import io.mpathgw.scsi.ReportLuns;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.Vpd83;
import io.mpathgw.scsi.VpdPage;
import io.mpathgw.scsi.Wwid;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code ls [-s] URL}: SendTargets discovery through one portal, like libiscsi's {@code iscsi-ls}: one line per
 * target and portal ({@code Target:NAME Portal:ADDRESS,TPGT}). With {@code -s} it logs into each target through
 * each of its portals and lists the LUNs from REPORT LUNS, each with its type, vendor and product (INQUIRY), its
 * capacity (READ CAPACITY(16)) and its WWID (VPD page 0x83).
 *
 * <p>A target that cannot be listed is reported on stderr and the others are still listed; the exit code is then 1.
 */
final class LsCommand {

    static final String USAGE = "mpathgw iscsi ls [-s|--show-luns] " + CommonOptions.USAGE
            + " iscsi://[user%password@]host[:port]";

    private static final Args.Option SHOW_LUNS = new Args.Option("show-luns", 's', false);
    private static final int REPORT_LUNS_FIRST = 16;       // iscsi-ls asks 16 first: all targets can answer that

    private LsCommand() {
    }

    static List<Args.Option> options() {
        List<Args.Option> o = new ArrayList<>(CommonOptions.OPTIONS);
        o.add(SHOW_LUNS);
        return o;
    }

    static int run(Args args, PrintStream out, PrintStream err) throws UsageException, CliFailure, InterruptedException {
        CommonOptions common = CommonOptions.from(args);
        IscsiUrl url = IscsiCli.url(args.operand("URL"));
        boolean showLuns = args.flag(SHOW_LUNS);
        int failures = 0;
        try (SessionScope scope = new SessionScope(1, common.timeout())) {
            InetSocketAddress portal = SessionScope.resolve(url.host(), url.port());
            List<DiscoveredTarget> targets = discover(scope, common, url, portal);
            for (DiscoveredTarget t : targets) {
                List<TargetAddress> addresses = t.addresses().isEmpty()
                        ? List.of(new TargetAddress(url.host(), url.port(), -1)) : t.addresses();
                for (TargetAddress a : addresses) {
                    out.println("Target:" + t.name() + " Portal:" + a);
                    if (!showLuns) continue;
                    try {
                        listLuns(scope, common, url, t.name(), a, out);
                    } catch (CliFailure e) {
                        failures++;
                        err.println(IscsiCli.PREFIX + "ls: " + e.getMessage());
                    }
                }
            }
        }
        return failures == 0 ? 0 : 1;
    }

    private static List<DiscoveredTarget> discover(SessionScope scope, CommonOptions common, IscsiUrl url,
                                                   InetSocketAddress portal) throws CliFailure, InterruptedException {
        Session s = scope.login(common.config(url, portal, null).build());
        try {
            return s.sendTargets("All").get(common.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new CliFailure("SendTargets=All on " + url.portalString() + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new CliFailure("SendTargets=All on " + url.portalString() + ": no answer after "
                    + SessionScope.seconds(common.timeout()));
        } finally {
            scope.logout(s);
        }
    }

    private static void listLuns(SessionScope scope, CommonOptions common, IscsiUrl url, String target,
                                 TargetAddress address, PrintStream out) throws CliFailure, InterruptedException {
        InetSocketAddress portal = SessionScope.resolve(address.host(), address.port());
        Session s = scope.login(common.config(url, portal, target).build());
        try {
            for (Lun lun : reportLuns(new ScsiCalls(s.lun(0), common.timeout()))) {
                if (!lun.decodable()) {
                    out.println("Lun:" + lun + " (not a single-level LUN; skipped)");
                    continue;
                }
                out.println(describe(new ScsiCalls(s.lun(lun.number()), common.timeout()), lun.number()));
            }
        } finally {
            scope.logout(s);
        }
    }

    /** REPORT LUNS through LUN 0: 16 bytes first, then the whole list if it did not fit. */
    static List<Lun> reportLuns(ScsiCalls lun0) throws CliFailure, InterruptedException {
        byte[] d = lun0.data("REPORT LUNS", ScsiCommand.read(Cdb.reportLuns(REPORT_LUNS_FIRST), REPORT_LUNS_FIRST));
        long need = lun0.parse("REPORT LUNS", () -> ReportLuns.requiredLength(io.netty.buffer.Unpooled.wrappedBuffer(d)));
        if (need > d.length) {
            if (need > Integer.MAX_VALUE) throw lun0.failure("REPORT LUNS", "lun list length " + need + " (expected: < 2 GiB)");
            byte[] all = lun0.data("REPORT LUNS", ScsiCommand.read(Cdb.reportLuns((int) need), (int) need));
            return lun0.parse("REPORT LUNS", () -> ReportLuns.parse(all));
        }
        return lun0.parse("REPORT LUNS", () -> ReportLuns.parse(d));
    }

    /**
     * One line per LUN: {@code Lun:1    Type:DIRECT_ACCESS Vendor:IET Product:VIRTUAL-DISK Capacity:67108864
     * (131072x512) WWID:360000000000000000e00000000010001}. Capacity and WWID are asked only of a connected LU.
     */
    static String describe(ScsiCalls lu, int number) throws CliFailure, InterruptedException {
        byte[] d = lu.inquiry();
        InquiryData q = lu.parse("INQUIRY", () -> InquiryData.parse(d));
        StringBuilder b = new StringBuilder(String.format("Lun:%-4d Type:%s Vendor:%s Product:%s", number,
                ScsiNames.deviceType(q.peripheralDeviceType()), q.vendor(), q.product()));
        if (!q.connected()) return b.append(" Qualifier:").append(ScsiNames.qualifier(q.peripheralQualifier())).toString();
        if (q.peripheralDeviceType() == InquiryData.TYPE_DISK) {
            lu.clearUnitAttention();
            ReadCapacity c = lu.readCapacity16();
            b.append(" Capacity:").append(c.sizeBytes()).append(" (").append(c.blockCount()).append('x')
                    .append(c.blockLength()).append(')');
        }
        b.append(" WWID:").append(wwid(lu));
        return b.toString();
    }

    /** The WWID from page 0x83; {@code none} when no designator qualifies, {@code -} when the LU has no page 0x83. */
    private static String wwid(ScsiCalls lu) throws CliFailure, InterruptedException {
        byte[] page = lu.vpdIfSupported(VpdPage.DEVICE_IDENTIFICATION);
        if (page == null) return "-";
        Vpd83 v = lu.parse("INQUIRY VPD 0x83", () -> Vpd83.parse(page));
        return Wwid.of(v).map(Wwid::value).orElse("none");
    }
}
