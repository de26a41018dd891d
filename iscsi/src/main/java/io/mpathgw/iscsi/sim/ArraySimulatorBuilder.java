package io.mpathgw.iscsi.sim;

import io.mpathgw.iscsi.target.TargetSettings;
import io.mpathgw.scsi.AluaState;
import io.mpathgw.scsi.InquiryData;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Settings of an {@link ArraySimulator}; everything has a default: an ALUA array with two controllers of two
 * portals each on 127.0.0.1 (ports chosen at start), one 64 MiB LUN owned by controller A, one target IQN for the
 * array. Not thread-safe.
 */
public final class ArraySimulatorBuilder {

    public static final String DEFAULT_IQN = "iqn.2026-01.io.mpathgw.sim:array";

    private Personality personality = Personality.ALUA;
    private int controllers = 2;
    private int portalsPerController = 2;
    private String host = "127.0.0.1";
    private int firstPort;
    private String iqn = DEFAULT_IQN;
    private boolean targetPerController;
    private long seed = 1;
    private final List<LunSpec> luns = new ArrayList<>();
    private String vendor, product;
    private String revision = "0001";
    private Integer tpgs;
    private Duration transitionTime = Duration.ofMillis(200);
    private int implicitTransitionTime = -1;
    private AluaState demotedState = AluaState.ACTIVE_NON_OPTIMIZED;
    private int supportedStates = 0xCF;
    private boolean rtpgExtendedHeader = true;
    private boolean exclusiveOptimized = true;
    private RdacMode rdacMode = RdacMode.RDAC;
    private int rdacMaxLunSupported = 31;
    private String emcModel = "VNX5300";
    private boolean failoverOnControllerLoss = true;
    private TargetSettings targetSettings = TargetSettings.builder().loginTimeout(Duration.ofSeconds(5)).build();
    private int threads = 2;

    ArraySimulatorBuilder() {
    }

    public ArraySimulatorBuilder personality(Personality v) {
        personality = Objects.requireNonNull(v, "personality");
        return this;
    }

    /** Number of controllers (target port groups), 1..8. */
    public ArraySimulatorBuilder controllers(int v) {
        controllers = range("controllers", v, 1, 8);
        return this;
    }

    /** Portals (target ports) on each controller, 1..16. */
    public ArraySimulatorBuilder portalsPerController(int v) {
        portalsPerController = range("portals per controller", v, 1, 16);
        return this;
    }

    /** Address every portal binds to; default 127.0.0.1. */
    public ArraySimulatorBuilder host(String v) {
        host = Objects.requireNonNull(v, "host");
        return this;
    }

    /** Port of the first portal, the others following; 0 (default): each portal gets a free port at start. */
    public ArraySimulatorBuilder firstPort(int v) {
        firstPort = range("first port", v, 0, 65535);
        return this;
    }

    /** The array's target IQN (one per array), or the prefix of one per controller ({@link #targetPerController}). */
    public ArraySimulatorBuilder iqn(String v) {
        iqn = Objects.requireNonNull(v, "iqn");
        return this;
    }

    /**
     * One target node per controller, named {@code <iqn>.ctrla}, {@code <iqn>.ctrlb}…, each reachable only through
     * its controller's portals (as CLARiiON SPs or some E-Series configurations); default false: one IQN for all.
     */
    public ArraySimulatorBuilder targetPerController(boolean v) {
        targetPerController = v;
        return this;
    }

    /** Seed of every random choice (port flapping); the same seed replays the same faults. */
    public ArraySimulatorBuilder seed(long v) {
        seed = v;
        return this;
    }

    /** Adds a LUN; with none, the array has LUN 0 of 64 MiB. */
    public ArraySimulatorBuilder lun(LunSpec spec) {
        for (LunSpec l : luns)
            if (l.number() == spec.number())
                throw new IllegalArgumentException("lun: " + spec.number() + " (expected: each LUN number once)");
        luns.add(spec);
        return this;
    }

    /** Adds LUN {@code number} of {@code bytes}, owned by controller 0. */
    public ArraySimulatorBuilder lun(int number, long bytes) {
        return lun(LunSpec.of(number, bytes));
    }

    /** T10 vendor of every LUN; default the personality's ({@link Personality#defaultVendor()}). */
    public ArraySimulatorBuilder vendor(String v) {
        vendor = v;
        return this;
    }

    public ArraySimulatorBuilder product(String v) {
        product = v;
        return this;
    }

    public ArraySimulatorBuilder revision(String v) {
        revision = v;
        return this;
    }

    /** ALUA: TPGS of the standard INQUIRY (1 implicit, 2 explicit, 3 both; default 3); STPG only when explicit. */
    public ArraySimulatorBuilder tpgs(int v) {
        tpgs = range("tpgs", v, 0, 3);
        return this;
    }

    /**
     * How long an ownership change takes: an ALUA group reports transitioning (NOT READY 04/0A to media access) for
     * this long, and the STPG, RDAC MODE SELECT, EMC trespass or HP START STOP UNIT that asked for it completes
     * after it. Default 200 ms; zero: at once.
     */
    public ArraySimulatorBuilder transitionTime(Duration v) {
        if (v.isNegative()) throw new IllegalArgumentException("transition time: " + v + " (expected: >= 0)");
        transitionTime = v;
        return this;
    }

    /** ALUA: the IMPLICIT TRANSITION TIME reported in RTPG's extended header, seconds; default the transition time. */
    public ArraySimulatorBuilder implicitTransitionTime(int seconds) {
        implicitTransitionTime = range("implicit transition time", seconds, 0, 255);
        return this;
    }

    /** ALUA: the state of a group that loses the LUN (failover, or another group made active/optimized). */
    public ArraySimulatorBuilder demotedState(AluaState v) {
        if (v != AluaState.ACTIVE_NON_OPTIMIZED && v != AluaState.STANDBY && v != AluaState.UNAVAILABLE)
            throw new IllegalArgumentException("demoted state: " + v
                    + " (expected: active/non-optimized, standby or unavailable)");
        demotedState = v;
        return this;
    }

    /** ALUA: the SUPPORTED STATES byte of every descriptor (T 0x80, O 0x40, U 0x08, S 0x04, N 0x02, A 0x01); 0xCF. */
    public ArraySimulatorBuilder supportedStates(int v) {
        supportedStates = range("supported states", v, 1, 0xFF);
        return this;
    }

    /** ALUA: false makes RTPG with the extended header fail with ILLEGAL REQUEST, as older arrays do. */
    public ArraySimulatorBuilder rtpgExtendedHeader(boolean v) {
        rtpgExtendedHeader = v;
        return this;
    }

    /** ALUA: a group made active/optimized demotes the other active/optimized groups (default true). */
    public ArraySimulatorBuilder exclusiveOptimized(boolean v) {
        exclusiveOptimized = v;
        return this;
    }

    public ArraySimulatorBuilder rdacMode(RdacMode v) {
        rdacMode = Objects.requireNonNull(v, "rdacMode");
        return this;
    }

    /** RDAC: VPD 0xC2 byte 15; 32 or more makes scsi_dh_rdac use the 308-byte MODE SELECT(10). Default 31. */
    public ArraySimulatorBuilder rdacMaxLunSupported(int v) {
        rdacMaxLunSupported = range("max lun supported", v, 0, 255);
        return this;
    }

    /** EMC: the SP model in the long INQUIRY; one starting with "FC" makes scsi_dh_emc use the short trespass. */
    public ArraySimulatorBuilder emcModel(String v) {
        emcModel = Objects.requireNonNull(v, "emcModel");
        return this;
    }

    /** Whether killing a controller moves its LUNs to a surviving one (default true). */
    public ArraySimulatorBuilder failoverOnControllerLoss(boolean v) {
        failoverOnControllerLoss = v;
        return this;
    }

    public ArraySimulatorBuilder targetSettings(TargetSettings v) {
        targetSettings = Objects.requireNonNull(v, "targetSettings");
        return this;
    }

    /** Event loop threads of the array's portals; default 2. */
    public ArraySimulatorBuilder threads(int v) {
        threads = range("threads", v, 1, 64);
        return this;
    }

    public ArraySimulator build() {
        List<LunSpec> l = luns.isEmpty() ? List.of(LunSpec.of(0, 64L << 20)) : luns;
        for (LunSpec s : l)
            if (s.owner() >= controllers || s.preferredController() >= controllers)
                throw new IllegalArgumentException("owner of lun " + s.number() + ": " + s.owner()
                        + " (expected: a controller index < " + controllers + ")");
        if (personality == Personality.RDAC)
            for (LunSpec s : l)
                if (s.number() >= 32 && rdacMaxLunSupported < 32)
                    throw new IllegalArgumentException("lun: " + s.number()
                            + " (expected: < 32 with the legacy 32-entry LUN table; raise rdacMaxLunSupported)");
        int t = tpgs != null ? tpgs : personality.defaultTpgs();
        if (personality == Personality.ALUA && t == InquiryData.TPGS_NONE)
            throw new IllegalArgumentException("tpgs: 0 (expected: 1..3 for the alua personality)");
        return new ArraySimulator(new SimSettings(personality, controllers, portalsPerController, host, firstPort,
                iqn, targetPerController, seed, l,
                vendor != null ? vendor : personality.defaultVendor(),
                product != null ? product : personality.defaultProduct(), revision,
                personality == Personality.ALUA ? t : InquiryData.TPGS_NONE, transitionTime, implicitTransitionTime,
                demotedState, supportedStates, rtpgExtendedHeader, exclusiveOptimized, rdacMode, rdacMaxLunSupported,
                emcModel, failoverOnControllerLoss, targetSettings, threads));
    }

    private static int range(String field, int v, int min, int max) {
        if (v < min || v > max)
            throw new IllegalArgumentException(field + ": " + v + " (expected: " + min + ".." + max + ")");
        return v;
    }
}
