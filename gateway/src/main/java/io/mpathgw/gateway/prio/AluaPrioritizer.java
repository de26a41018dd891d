package io.mpathgw.gateway.prio;

import io.mpathgw.gateway.check.CommandRun;
import io.mpathgw.gateway.check.PathIdentity;
import io.mpathgw.scsi.AluaState;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.InquiryData;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.Sense;
import io.mpathgw.scsi.TargetPortGroups;
import io.mpathgw.scsi.Vpd83;
import io.mpathgw.scsi.VpdPage;

import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * {@code alua} (spec §7.2; multipath-tools' {@code alua.c}, {@code alua_rtpg.c}): the path's target port group from
 * VPD page 0x83 (designator type 5; the first one if the device lists several), then REPORT TARGET PORT GROUPS
 * without the extended header, then the own group's descriptor byte 0 ({@code & 0x8f}: PREF and the state):
 * active/optimized 50, active/non-optimized 10, LBA-dependent 5, standby 1, anything else 0; plus 80 when the PREF
 * bit is set and the group is not active/optimized, or always with the prio_args word {@code exclusive_pref_bit}.
 * Each command is re-sent on UNIT ATTENTION or NOT READY, four tries in all; a page or parameter list longer than the
 * 4096 bytes asked first is asked again at its full length.
 *
 * <p>Failures are PRIO_UNDEF with multipath-tools' reason: "alua not supported" (TPGS 0 in the standard INQUIRY),
 * "couldn't get target port group", "couldn't get asymmetric access state", "couldn't get supported alua states".
 * The {@link PrioResult} also carries the group id and state for {@code show paths} and group_by_tpg.
 */
final class AluaPrioritizer extends ScsiPrioritizer {

    static final String NAME = "alua";
    /** alua_rtpg.c VPD_BUFLEN. */
    static final int BUFLEN = 4096;
    /** One try and alua_rtpg.c's three retries. */
    static final int TRIES = 4;
    static final String EXCLUSIVE_PREF_BIT = "exclusive_pref_bit";

    private final boolean exclusivePref;

    /**
     * @param args prio_args: empty or {@code exclusive_pref_bit}
     * @throws IllegalArgumentException naming a word it does not know
     */
    AluaPrioritizer(String args) {
        boolean pref = false;
        for (String w : args.trim().split("\\s+")) {
            if (w.isEmpty()) continue;
            if (!w.equals(EXCLUSIVE_PREF_BIT))
                throw new IllegalArgumentException("prio_args for alua: \"" + w + "\" (expected: empty or "
                        + EXCLUSIVE_PREF_BIT + ")");
            pref = true;
        }
        this.exclusivePref = pref;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** alua.c getprio(): the priority of descriptor byte 0 ({@code aas}: PREF bit 7, state bits 3..0). */
    static int priority(int aas, boolean exclusivePref) {
        int state = aas & 0x0F;
        int prio = switch (state) {
            case 0x0 -> 50;     // active/optimized
            case 0x1 -> 10;     // active/non-optimized
            case 0x4 -> 5;      // LBA-dependent
            case 0x2 -> 1;      // standby
            default -> 0;       // unavailable, offline, transitioning, reserved
        };
        if ((aas & 0x80) != 0 && (state != 0x0 || exclusivePref)) prio += 80;
        return prio;
    }

    @Override
    void start(CommandRun<PrioResult> run, PathIdentity id) {
        read(run, ScsiCommand.read(Cdb.inquiryVpd(VpdPage.DEVICE_IDENTIFICATION, BUFLEN), BUFLEN), TRIES,
                r -> {
                    int full = VpdPage.requiredLength(r.data());
                    if (full > r.data().readableBytes() && full > BUFLEN)
                        read(run, ScsiCommand.read(Cdb.inquiryVpd(VpdPage.DEVICE_IDENTIFICATION, Math.min(full, 0xFFFF)),
                                Math.min(full, 0xFFFF)), TRIES, r2 -> targetPortGroup(run, r2), () -> noTpg(run));
                    else targetPortGroup(run, r);
                }, () -> noTpg(run));
    }

    private void targetPortGroup(CommandRun<PrioResult> run, ScsiResponse r) {
        OptionalInt tpg = Vpd83.parse(r.data()).targetPortGroup();
        if (tpg.isEmpty()) noTpg(run);
        else rtpg(run, tpg.getAsInt(), BUFLEN);
    }

    /** No group id: the standard INQUIRY's TPGS says whether the device does ALUA at all. */
    private void noTpg(CommandRun<PrioResult> run) {
        read(run, ScsiCommand.read(Cdb.inquiry(InquiryData.MIN_LENGTH), InquiryData.MIN_LENGTH), TRIES, r -> {
            int tpgs = InquiryData.parse(r.data()).tpgs();
            run.complete(undef(tpgs == InquiryData.TPGS_NONE ? "alua not supported" : "couldn't get target port group"));
        }, () -> run.complete(undef("couldn't get supported alua states")));
    }

    private void rtpg(CommandRun<PrioResult> run, int tpg, int length) {
        read(run, ScsiCommand.read(Cdb.reportTargetPortGroups(false, length), length), TRIES, r -> {
            long full = TargetPortGroups.requiredLength(r.data());
            if (full > r.data().readableBytes() && length == BUFLEN && full > BUFLEN) {
                rtpg(run, tpg, (int) Math.min(full, Integer.MAX_VALUE));
                return;
            }
            TargetPortGroups groups = TargetPortGroups.parse(r.data());
            run.complete(groups.group(tpg).map(g -> result(tpg, g))
                    .orElseGet(() -> new PrioResult(PRIO_UNDEF, tpg, "", NAME + " prio: target port group " + tpg
                            + " not in the RTPG answer; couldn't get asymmetric access state")));
        }, () -> run.complete(new PrioResult(PRIO_UNDEF, tpg, "",
                NAME + " prio: couldn't get asymmetric access state")));
    }

    private PrioResult result(int tpg, TargetPortGroups.PortGroup g) {
        int aas = g.aasByte();
        int prio = priority(aas, exclusivePref);
        String state = g.state().map(AluaState::toString).orElse(String.format("reserved(0x%x)", g.stateCode()));
        return new PrioResult(prio, tpg, state, String.format("%s prio: target port group %d, aas %02x [%s]%s, prio %d",
                NAME, tpg, aas, state, g.preferred() ? " [preferred]" : "", prio));
    }

    /**
     * Sends {@code command}; GOOD (or RECOVERED ERROR) goes to {@code good} with the answer, UNIT ATTENTION and NOT
     * READY are sent again up to {@code tries}; anything else goes to {@code failed}. No answer at all ends the run.
     */
    private void read(CommandRun<PrioResult> run, ScsiCommand command, int tries, Consumer<ScsiResponse> good,
                      Runnable failed) {
        run.send(command, (r, e) -> {
            if (e != null) run.complete(noAnswer(e));
            else if (good(r)) good.accept(r);
            else if ((senseKey(r) == Sense.UNIT_ATTENTION || senseKey(r) == Sense.NOT_READY) && tries > 1)
                read(run, command, tries - 1, good, failed);
            else failed.run();
        });
    }
}
