package io.mpathgw.iscsi.sim;

import io.mpathgw.iscsi.target.LogicalUnit;
import io.mpathgw.iscsi.target.Nexus;
import io.mpathgw.iscsi.target.ScsiTask;
import io.mpathgw.iscsi.target.sbc.SbcLogicalUnit;
import io.mpathgw.iscsi.target.sbc.SbcLogicalUnitBuilder;
import io.mpathgw.scsi.AluaState;
import io.mpathgw.scsi.BlockDevice;
import io.mpathgw.scsi.InquiryData;
import io.mpathgw.scsi.MemoryBlockDevice;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.Sense;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * One LUN of a simulated array: its WWID and store, the SBC disk that executes its commands, the personality that
 * answers what the array type changes, and the per-LUN faults. As a {@link LogicalUnit} it runs each command
 * through, in order: permanent device loss, injected sense, then the SBC emulation (unit attentions, reservations,
 * the personality, the command itself); then per-LUN latency and stalling delay the answer.
 *
 * <p>Every method may be called from any thread; fault setters take effect for the next command.
 */
public final class SimLun implements LogicalUnit {

    private static final Logger LOG = Logger.getLogger(SimLun.class.getName());

    private final ArraySimulator array;
    private final LunSpec spec;
    private final byte[] naa;
    private final String serial;
    private final BlockDevice device;
    private final MemoryBlockDevice ownStore;       // null when the spec brought its device
    private final LunPersonality personality;
    private final SbcLogicalUnit sbc;
    private final byte[] notSupportedInquiry;
    private final ArrayDeque<Injection> injections = new ArrayDeque<>();     // guarded by itself
    private final List<Runnable> held = new ArrayList<>();                   // guarded by itself
    private final AtomicLong commands = new AtomicLong();
    private volatile boolean pdl;
    private volatile boolean stalled;
    private volatile long latencyNanos;

    /** An injection with its remaining count (guarded by {@link #injections}). */
    private static final class Injection {
        final SenseInjection spec;
        int remaining;

        Injection(SenseInjection spec) {
            this.spec = spec;
            this.remaining = spec.count();
        }
    }

    SimLun(ArraySimulator array, LunSpec spec) {
        this.array = array;
        this.spec = spec;
        SimSettings s = array.settings();
        this.naa = spec.naa() != null ? spec.naa() : defaultNaa(s.iqn(), spec.number());
        this.serial = array.serialPrefix() + String.format("%04d", spec.number());
        if (spec.device() != null) {
            this.ownStore = null;
            this.device = spec.device();
        } else {
            this.ownStore = new MemoryBlockDevice(spec.blockSize(), spec.maxBlocks());
            this.device = new ResizableBlockDevice(ownStore, spec.blocks());
        }
        this.personality = array.newPersonality(this);
        SbcLogicalUnitBuilder b = SbcLogicalUnit.builder(device).vendor(s.vendor()).product(s.product())
                .revision(s.revision()).serial(serial).naa(naa).interceptor(personality);
        if (!s.targetPerController()) b.targetName(s.iqn());
        else b.targetPortName(n -> array.targetNameOf(n) + String.format(",t,0x%04x", n.targetPortGroup()));
        personality.configure(b);
        this.sbc = b.build();
        this.notSupportedInquiry = new InquiryData(InquiryData.QUALIFIER_NO_LU, InquiryData.TYPE_UNKNOWN, false, 6,
                2, true, 0, false, false, false, true, true, s.vendor(), s.product(), s.revision()).toBytes();
    }

    /** NAA 6: the default company id, then 100 bits of SHA-256 over the array's IQN and the LUN number. */
    static byte[] defaultNaa(String iqn, int lun) {
        byte[] h = ArraySimulator.sha256("mpathgw-sim\0" + iqn + "\0" + lun);
        int company = SbcLogicalUnitBuilder.DEFAULT_COMPANY_ID;
        byte[] d = new byte[16];
        d[0] = (byte) (0x60 | company >> 20);
        d[1] = (byte) (company >> 12);
        d[2] = (byte) (company >> 4);
        d[3] = (byte) ((company & 0x0F) << 4 | h[0] & 0x0F);
        System.arraycopy(h, 1, d, 4, 12);
        return d;
    }

    public int number() {
        return spec.number();
    }

    /** The NAA 6 designator of VPD 0x83 (a copy). */
    public byte[] naa() {
        return naa.clone();
    }

    /** The WWID multipath-tools derives from VPD 0x83: {@code 3} and the NAA designator in lower-case hex. */
    public String wwid() {
        return "3" + HexFormat.of().formatHex(naa);
    }

    public String serial() {
        return serial;
    }

    public BlockDevice device() {
        return device;
    }

    /** The SBC emulation behind this LUN (its unit attentions, its nexuses). */
    public SbcLogicalUnit sbc() {
        return sbc;
    }

    /** Index of the controller that preferably owns it (ALUA PREF, RDAC preferred path, EMC default SP). */
    public int preferredController() {
        return spec.preferredController();
    }

    LunSpec spec() {
        return spec;
    }

    LunPersonality personality() {
        return personality;
    }

    /** Commands received through every port, faults included. */
    public long commands() {
        return commands.get();
    }

    // ---------------------------------------------------------------- ownership

    /** Index of the controller that owns the LUN, or is about to once a transition ends; -1 if none. */
    public int owner() {
        return personality.owner();
    }

    /** The array moves this LUN to controller {@code to} by itself (for ALUA with a transition period). */
    public void failover(int to) {
        array.controller(to);                           // range check
        LOG.info("lun " + number() + ": failover to controller " + (char) ('A' + to));
        personality.failover(to);
    }

    /** ALUA: the state controller {@code index}'s target port group reports for this LUN. */
    public AluaState aluaState(int index) {
        return alua().reported(index);
    }

    /**
     * ALUA: changes one group's state implicitly (status "altered by implicit behaviour"), through a transition of
     * {@code transition} (zero: at once), with the asymmetric access state changed unit attention for every I_T
     * nexus. Setting {@link AluaState#TRANSITIONING} leaves the group transitioning until the next change.
     */
    public void aluaState(int index, AluaState state, Duration transition) {
        array.controller(index);
        alua().change(java.util.Map.of(index, state), transition, null, false);
    }

    private AluaPersonality alua() {
        if (personality instanceof AluaPersonality a) return a;
        throw new IllegalStateException("personality: " + array.personality() + " (expected: alua)");
    }

    /** Status line: owner and personality state, then the active faults. */
    public String describe() {
        StringBuilder b = new StringBuilder("lun ").append(number()).append(" wwid ").append(wwid())
                .append(' ').append(device.blockCount()).append('x').append(device.blockSize()).append(' ')
                .append(personality.describe());
        if (pdl) b.append(" PDL");
        if (stalled) b.append(" stalled");
        if (latencyNanos > 0) b.append(" latency ").append(TimeUnit.NANOSECONDS.toMillis(latencyNanos)).append("ms");
        synchronized (injections) {
            for (Injection i : injections) b.append(" inject ").append(i.spec.sense()).append(" x").append(i.remaining);
        }
        return b.toString();
    }

    // ---------------------------------------------------------------- faults

    /** Queues a sense injection; several are consumed in the order they were queued. */
    public void inject(SenseInjection injection) {
        synchronized (injections) {
            injections.addLast(new Injection(injection));
        }
        LOG.info("lun " + number() + ": inject " + injection);
    }

    /** Shorthand for {@code inject(SenseInjection.of(sense, count))}. */
    public void injectSense(Sense sense, int count) {
        inject(SenseInjection.of(sense, count));
    }

    /** Commands the queued injections will still hit. */
    public int pendingInjections() {
        synchronized (injections) {
            return injections.stream().mapToInt(i -> i.remaining).sum();
        }
    }

    /**
     * Permanent device loss: on every path the LUN answers as a LUN the target does not have (SPC-4 §4.6.2, as the
     * target's own LUN directory does) — ILLEGAL REQUEST, LOGICAL UNIT NOT SUPPORTED (25/00) for every command,
     * INQUIRY with peripheral qualifier 011b and type 1Fh, REQUEST SENSE returning 25/00 as data — and the other LUNs
     * get REPORTED LUNS DATA HAS CHANGED. multipath-tools' tur checker reports such a path "disconnected". REPORT
     * LUNS still lists the LUN: the target answers it from its fixed LUN map.
     */
    public void pdl(boolean on) {
        pdl = on;
        array.lunInventoryChanged(this);
        LOG.info("lun " + number() + ": PDL " + (on ? "on" : "off"));
    }

    public boolean pdl() {
        return pdl;
    }

    /** Under PDL the target also drops this LUN from REPORT LUNS, as an array that unmapped it does. */
    @Override
    public boolean present() {
        return !pdl;
    }

    /** Every answer of this LUN leaves {@code d} later (zero: none), through every port. */
    public void latency(Duration d) {
        latencyNanos = d.toNanos();
    }

    /** While on, answers are held back (commands time out on the initiator); off sends them all. */
    public void stall(boolean on) {
        List<Runnable> release;
        synchronized (held) {
            stalled = on;
            if (on) return;
            release = new ArrayList<>(held);
            held.clear();
        }
        release.forEach(Runnable::run);
    }

    /**
     * Changes the capacity to {@code blocks} and raises CAPACITY DATA HAS CHANGED (2A/09) for every I_T nexus.
     *
     * @throws IllegalStateException when the LUN was given a device that cannot change size
     */
    public void resize(long blocks) {
        if (!(device instanceof ResizableBlockDevice r))
            throw new IllegalStateException("lun " + number() + ": device " + device.getClass().getSimpleName()
                    + " (expected: a ResizableBlockDevice to change capacity)");
        r.resize(blocks);
        sbc.capacityChanged();
        LOG.info("lun " + number() + ": capacity now " + blocks + " blocks");
    }

    // ---------------------------------------------------------------- LogicalUnit

    @Override
    public CompletableFuture<ScsiResponse> execute(ScsiTask task) {
        commands.incrementAndGet();
        CompletableFuture<ScsiResponse> f = answer(task);
        long delay = latencyNanos;
        if (delay > 0) f = f.thenCompose(r -> array.later(r, delay));
        if (stalled) f = f.thenCompose(this::hold);
        return f;
    }

    private CompletableFuture<ScsiResponse> answer(ScsiTask task) {
        byte[] cdb = task.cdb();
        if (pdl) {
            if (Commands.standardInquiry(cdb)) return Answers.good(task, notSupportedInquiry.clone());
            if (Commands.inquiry(cdb))      // a VPD page header with qualifier 011b and no page
                return Answers.good(task, new byte[] {0x7F, cdb.length > 2 ? cdb[2] : 0, 0, 0});
            if (Commands.opcode(cdb) == Commands.REQUEST_SENSE)
                return Answers.good(task, Sense.LOGICAL_UNIT_NOT_SUPPORTED.toBytes());
            if (Commands.opcode(cdb) != Commands.REPORT_LUNS)
                return Answers.check(task, Sense.LOGICAL_UNIT_NOT_SUPPORTED);
        }
        Sense injected = takeInjection(task.nexus(), cdb);
        if (injected != null) return Answers.check(task, injected);
        return sbc.execute(task);
    }

    private Sense takeInjection(Nexus nexus, byte[] cdb) {
        synchronized (injections) {
            for (Iterator<Injection> it = injections.iterator(); it.hasNext(); ) {
                Injection i = it.next();
                if (!i.spec.where().test(nexus) || !i.spec.command().test(cdb)) continue;
                if (--i.remaining == 0) it.remove();
                return i.spec.sense();
            }
        }
        return null;
    }

    private CompletableFuture<ScsiResponse> hold(ScsiResponse r) {
        synchronized (held) {
            if (!stalled) return CompletableFuture.completedFuture(r);
            CompletableFuture<ScsiResponse> f = new CompletableFuture<>();
            held.add(() -> f.complete(r));
            return f;
        }
    }

    @Override
    public void nexusAdded(Nexus nexus) {
        sbc.nexusAdded(nexus);
    }

    @Override
    public void nexusRemoved(Nexus nexus) {
        sbc.nexusRemoved(nexus);
    }

    @Override
    public void reset(Nexus from) {
        sbc.reset(from);
    }

    /** Stops the personality's timers, sends what is held, frees the memory store. */
    void close() {
        personality.close();
        stall(false);
        if (ownStore != null) ownStore.close();
    }

    @Override
    public String toString() {
        return "SimLun[" + number() + " " + wwid() + "]";
    }
}
