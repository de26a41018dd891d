package io.mpathgw.iscsi.cli;

import io.mpathgw.iscsi.initiator.Session;
import io.mpathgw.scsi.BlockLimits;
import io.mpathgw.scsi.InquiryData;
import io.mpathgw.scsi.LogicalBlockProvisioning;
import io.mpathgw.scsi.Vpd83;
import io.mpathgw.scsi.VpdPage;
import io.mpathgw.scsi.Wwid;
import io.netty.buffer.ByteBufUtil;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code inq URL [-e] [-c PAGE]}: standard INQUIRY data, or one VPD page decoded, like libiscsi's
 * {@code iscsi-inq}. Decoded pages: 0x00, 0x80, 0x83 (every designator, then the WWID multipath would use), 0xB0,
 * 0xB2; any other page is printed as a hex dump.
 */
final class InqCommand {

    static final String USAGE = "mpathgw iscsi inq [-e|--evpd] [-c|--pagecode PAGE] " + CommonOptions.USAGE
            + " iscsi://[user%password@]host[:port]/target-iqn/lun";

    private static final Args.Option EVPD = new Args.Option("evpd", 'e', false);
    private static final Args.Option PAGE = new Args.Option("pagecode", 'c', true);

    private InqCommand() {
    }

    static List<Args.Option> options() {
        List<Args.Option> o = new ArrayList<>(CommonOptions.OPTIONS);
        o.add(EVPD);
        o.add(PAGE);
        return o;
    }

    static int run(Args args, PrintStream out) throws UsageException, CliFailure, InterruptedException {
        CommonOptions common = CommonOptions.from(args);
        IscsiUrl url = IscsiCli.lunUrl(args.operand("URL"), "inq");
        // iscsi-inq takes the page code only with -e 1; here -c alone implies -e
        boolean evpd = args.flag(EVPD) || args.has(PAGE);
        int page = args.intValue(PAGE, VpdPage.SUPPORTED_PAGES, 0, 0xFF);
        try (SessionScope scope = new SessionScope(1, common.timeout())) {
            Session s = scope.login(common.config(url, SessionScope.resolve(url.host(), url.port()),
                    url.targetName().orElseThrow()).build());
            ScsiCalls lu = new ScsiCalls(s.lun(url.lun()), common.timeout());
            if (!evpd) standard(out, lu);
            else vpd(out, lu, page);
        }
        return 0;
    }

    private static void standard(PrintStream out, ScsiCalls lu) throws CliFailure, InterruptedException {
        byte[] d = lu.inquiry();
        InquiryData q = lu.parse("INQUIRY", () -> InquiryData.parse(d));
        out.println("Peripheral Qualifier:" + ScsiNames.qualifier(q.peripheralQualifier()));
        out.println("Peripheral Device Type:" + ScsiNames.deviceType(q.peripheralDeviceType()));
        out.println("Removable:" + bit(q.removable()));
        out.println("Version:" + q.version() + " " + ScsiNames.version(q.version()));
        out.println("ResponseDataFormat:" + q.responseDataFormat());
        out.println("HiSup:" + bit(q.hisup()));
        out.println("SCCS:" + bit(q.sccs()));
        out.println("TPGS:" + q.tpgs());
        out.println("3PC:" + bit(q.thirdPartyCopy()));
        out.println("Protect:" + bit(q.protect()));
        out.println("MultiP:" + bit(q.multiPort()));
        out.println("CmdQue:" + bit(q.cmdQue()));
        out.println("Vendor:" + q.vendor());
        out.println("Product:" + q.product());
        out.println("Revision:" + q.revision());
    }

    private static void vpd(PrintStream out, ScsiCalls lu, int page) throws CliFailure, InterruptedException {
        byte[] d = lu.vpd(page);
        String name = String.format("INQUIRY VPD 0x%02x", page);
        switch (page) {
            case VpdPage.SUPPORTED_PAGES -> {
                for (int p : lu.parse(name, () -> VpdPage.supportedPages(d)))
                    out.printf("Page:0x%02x %s%n", p, ScsiNames.vpdPage(p));
            }
            case VpdPage.UNIT_SERIAL_NUMBER ->
                    out.println("Unit Serial Number:[" + lu.parse(name, () -> VpdPage.unitSerialNumber(d)) + "]");
            case VpdPage.DEVICE_IDENTIFICATION -> deviceIdentification(out, lu.parse(name, () -> Vpd83.parse(d)));
            case VpdPage.BLOCK_LIMITS -> blockLimits(out, lu.parse(name, () -> BlockLimits.parse(d)));
            case VpdPage.LOGICAL_BLOCK_PROVISIONING ->
                    provisioning(out, lu.parse(name, () -> LogicalBlockProvisioning.parse(d)));
            default -> {
                out.printf("Page Code:(0x%02x) %s%n", page, ScsiNames.vpdPage(page));
                out.print(ByteBufUtil.prettyHexDump(io.netty.buffer.Unpooled.wrappedBuffer(d)));
                out.println();
            }
        }
    }

    /** Every designator, binary ones in hex, then the WWID chosen as multipath-tools chooses it. */
    static void deviceIdentification(PrintStream out, Vpd83 page) {
        out.println("Peripheral Qualifier:" + ScsiNames.qualifier(page.peripheral() >> 5));
        out.println("Peripheral Device Type:" + ScsiNames.deviceType(page.peripheral() & 0x1F));
        out.println("Page Code:(0x83) DEVICE_IDENTIFICATION");
        int i = 0;
        for (Vpd83.Designator d : page.designators()) {
            out.println("DEVICE DESIGNATOR #" + i++);
            if (d.piv())
                out.println("Device Protocol Identifier:(" + d.protocolIdentifier() + ") " + ScsiNames.protocol(d.protocolIdentifier()));
            out.println("Code Set:(" + d.codeSet() + ") " + ScsiNames.codeSet(d.codeSet()));
            out.println("PIV:" + bit(d.piv()));
            out.println("Association:(" + d.association() + ") " + ScsiNames.association(d.association()));
            out.println("Designator Type:(" + d.type() + ") " + ScsiNames.designatorType(d.type()));
            out.println("Designator:[" + designator(d) + "]");
        }
        out.println("WWID:" + Wwid.of(page).map(Wwid::value).orElse("none"));
    }

    /** ASCII and UTF-8 designators as text, binary ones in lower-case hex. */
    static String designator(Vpd83.Designator d) {
        return d.codeSet() == Vpd83.CODE_SET_ASCII || d.codeSet() == Vpd83.CODE_SET_UTF8 ? d.text() : d.hex();
    }

    private static void blockLimits(PrintStream out, BlockLimits b) {
        out.println("wsnz:" + bit(b.wsnz()));
        out.println("maximum compare and write length:" + b.maximumCompareAndWriteLength());
        out.println("optimal transfer length granularity:" + b.optimalTransferLengthGranularity());
        out.println("maximum transfer length:" + b.maximumTransferLength());
        out.println("optimal transfer length:" + b.optimalTransferLength());
        out.println("maximum prefetch xdread xdwrite transfer length:" + b.maximumPrefetchLength());
        out.println("maximum unmap lba count:" + b.maximumUnmapLbaCount());
        out.println("maximum unmap block descriptor count:" + b.maximumUnmapBlockDescriptorCount());
        out.println("optimal unmap granularity:" + b.optimalUnmapGranularity());
        out.println("ugavalid:" + bit(b.unmapGranularityAlignmentValid()));
        out.println("unmap granularity alignment:" + b.unmapGranularityAlignment());
        out.println("maximum write same length:" + b.maximumWriteSameLength());
    }

    private static void provisioning(PrintStream out, LogicalBlockProvisioning p) {
        out.println("Threshold Exponent:" + p.thresholdExponent());
        out.println("lbpu:" + bit(p.lbpu()));
        out.println("lbpws:" + bit(p.lbpws()));
        out.println("lbpws10:" + bit(p.lbpws10()));
        out.println("lbprz:" + p.lbprz());
        out.println("anc_sup:" + bit(p.ancSup()));
        out.println("dp:" + bit(p.dp()));
        out.println("provisioning type:" + p.provisioningType());
    }

    private static int bit(boolean b) {
        return b ? 1 : 0;
    }
}
