package io.mpathgw.iscsi.target.sbc;

import io.mpathgw.iscsi.target.LogicalUnit;
import io.mpathgw.iscsi.target.Nexus;
import io.mpathgw.iscsi.target.ScsiTask;
import io.mpathgw.scsi.BlockDevice;
import io.mpathgw.scsi.BlockDeviceException;
import io.mpathgw.scsi.Lun;
import io.mpathgw.scsi.ReportLuns;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.Sense;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Predicate;

/**
 * An SBC-3 disk over a {@link BlockDevice}: the SCSI side of an exported map or of a simulated LUN. Build one with
 * {@link #builder}; hand it tasks through {@link #execute}. See {@link SbcCommand} for every command it answers;
 * anything else ends in CHECK CONDITION, ILLEGAL REQUEST with INVALID COMMAND OPERATION CODE, or INVALID FIELD IN
 * CDB and a field pointer.
 *
 * <p>Each command goes through, in order: the pending unit attention of its I_T nexus (SPC-4 §5.14; INQUIRY,
 * REPORT LUNS and REQUEST SENSE pass), the reservation check (SPC-2 RESERVE(6) and persistent reservations), the
 * {@link Interceptor} of a personality if any, CDB validation against the command's usage data, the medium check
 * (a removable LU that is ejected), and the command itself.
 *
 * <p>Threads: {@link #execute} may be called from any thread, concurrently. Block I/O runs without locks (writes
 * take shared range holds, COMPARE AND WRITE and ORWRITE exclusive ones); the unit attention queues, the
 * reservation tables and the mode pages are each guarded by their own monitor, and the data path reads them
 * through volatile flags. Futures complete on the caller's thread or the block device's.
 *
 * <p>Buffers: the LU owns {@code task.dataOut()} from {@link #execute} on and releases it exactly once (written
 * data is handed to the device, which releases it); the caller owns the response's data. READ data is the
 * device's buffer itself, not a copy.
 *
 * <p>Residuals: for commands that carry Data-Out, the response's residual fields compare the bytes the CDB asks for
 * with the Expected Data Transfer Length (RFC 7143 §11.4.5.2); the target cannot know that length. Data-In is cut
 * to the CDB's ALLOCATION LENGTH here (SPC-4 §4.2.5.6: that cut is no residual, libiscsi ModeSense6.Residuals);
 * the target compares what remains with the Expected Data Transfer Length.
 */
public final class SbcLogicalUnit implements LogicalUnit {

    private final BlockDevice device;
    private final Settings settings;
    private final ConcurrentHashMap<Nexus, ItNexus> nexuses = new ConcurrentHashMap<>();
    private final Set<Nexus> preventing = ConcurrentHashMap.newKeySet();
    private final ModePages modePages;
    private final Reservations reservations;
    private final Inquiry inquiry;
    private final MediumAccess medium;
    private final Provisioning provisioning;
    private final ModeCommands mode;
    private final Alua alua;
    private final SupportedOperationCodes supportedOperationCodes;
    private volatile boolean ejected;

    SbcLogicalUnit(BlockDevice device, Settings settings) {
        this.device = device;
        this.settings = settings;
        this.modePages = new ModePages(settings.writeCacheEnabled());
        this.reservations = new Reservations((who, ua) -> unitAttention(ua, who));
        this.inquiry = new Inquiry(settings);
        LbaRangeLock locks = new LbaRangeLock();
        this.medium = new MediumAccess(device, settings, modePages, locks);
        this.provisioning = new Provisioning(device, settings, medium, locks);
        this.mode = new ModeCommands(device, settings, modePages);
        this.alua = new Alua(settings);
        this.supportedOperationCodes = new SupportedOperationCodes(settings);
    }

    /** A builder for an LU over {@code device}; only the unit serial number is required. */
    public static SbcLogicalUnitBuilder builder(BlockDevice device) {
        return new SbcLogicalUnitBuilder(device);
    }

    public BlockDevice device() {
        return device;
    }

    /** The LU's NAA designator (16 bytes for NAA 6), as VPD page 0x83 reports it. */
    public byte[] naa() {
        return settings.naa().clone();
    }

    public String serial() {
        return settings.serial();
    }

    /** The I_T nexuses the LU currently knows (those added, and any that sent a command). */
    public Set<Nexus> nexuses() {
        return Set.copyOf(nexuses.keySet());
    }

    @Override
    public CompletableFuture<ScsiResponse> execute(ScsiTask task) {
        return submit(task).thenApply(Reply::response);
    }

    /**
     * As {@link #execute}, with the sense bytes exactly as they should go on the wire ({@link Reply#senseBytes()}:
     * with the field pointer). Never completes exceptionally.
     */
    public CompletableFuture<Reply> submit(ScsiTask task) {
        Exchange x = new Exchange(task, itNexus(task.nexus()));
        CompletableFuture<Reply> f;
        try {
            f = run(x);
        } catch (Throwable e) {
            f = CompletableFuture.failedFuture(e);
        } finally {
            x.releaseDataOut();
        }
        return f.handle((reply, error) -> finish(x, reply, error));
    }

    private CompletableFuture<Reply> run(Exchange x) {
        SbcCommand c = SbcCommand.find(x.cdb);
        if (c != null && !settings.supports(c)) c = null;
        x.command = c;
        if (c == null || !c.uaExempt()) {
            Sense ua = x.itNexus.take();
            if (ua != null) throw CheckCondition.of(ua);
        }
        reservations.checkAccess(x.nexus(), c);
        Interceptor interceptor = settings.interceptor();
        if (interceptor != null) {
            CompletableFuture<ScsiResponse> answer = interceptor.intercept(x.task, this);
            if (answer != null) {
                x.disown();
                return answer.thenApply(Reply::of);
            }
        }
        if (c == null) throw unknown(x.cdb);
        c.validate(x.cdb);
        if (c.needsMedium() && ejected) throw CheckCondition.of(Sense.MEDIUM_NOT_PRESENT);
        return dispatch(c, x);
    }

    private static CheckCondition unknown(byte[] cdb) {
        return SbcCommand.hasServiceActions(cdb[0]) ? CheckCondition.invalidField(1, 4)
                : CheckCondition.invalidOperationCode();
    }

    private CompletableFuture<Reply> dispatch(SbcCommand c, Exchange x) {
        return switch (c) {
            case TEST_UNIT_READY -> good();
            case PRE_FETCH_10, PRE_FETCH_16 -> medium.preFetch(x);
            case REQUEST_SENSE -> data(requestSense(x));
            case READ_6, READ_10, READ_12, READ_16 -> medium.read(x);
            case WRITE_6, WRITE_10, WRITE_12, WRITE_16 -> medium.write(x);
            case VERIFY_10, VERIFY_12, VERIFY_16 -> medium.verify(x);
            case WRITE_AND_VERIFY_10, WRITE_AND_VERIFY_12, WRITE_AND_VERIFY_16 -> medium.writeAndVerify(x);
            case ORWRITE_16 -> medium.orWrite(x);
            case COMPARE_AND_WRITE -> medium.compareAndWrite(x);
            case SYNCHRONIZE_CACHE_10, SYNCHRONIZE_CACHE_16 -> medium.synchronizeCache(x);
            case WRITE_SAME_10, WRITE_SAME_16 -> provisioning.writeSame(x);
            case UNMAP -> provisioning.unmap(x);
            case GET_LBA_STATUS -> data(provisioning.getLbaStatus(x));
            case READ_CAPACITY_10 -> data(provisioning.readCapacity10());
            case READ_CAPACITY_16 -> data(provisioning.readCapacity16());
            case INQUIRY -> data(inquiry.answer(x, device.blockCount()));
            case MODE_SENSE_6, MODE_SENSE_10 -> data(mode.sense(x));
            case MODE_SELECT_6, MODE_SELECT_10 -> modeSelect(x);
            case RESERVE_6 -> {
                reservations.reserve6(x.nexus());
                yield good();
            }
            case RELEASE_6 -> {
                reservations.release6(x.nexus());
                yield good();
            }
            case PR_IN_READ_KEYS, PR_IN_READ_RESERVATION, PR_IN_REPORT_CAPABILITIES, PR_IN_READ_FULL_STATUS ->
                    data(PersistentReserveIn.answer(reservations, c.serviceAction));
            case PR_OUT_REGISTER, PR_OUT_RESERVE, PR_OUT_RELEASE, PR_OUT_CLEAR, PR_OUT_PREEMPT,
                    PR_OUT_PREEMPT_AND_ABORT, PR_OUT_REGISTER_AND_IGNORE -> {
                PersistentReserveOut.execute(reservations, x);
                yield good();
            }
            case START_STOP_UNIT -> startStopUnit(x);
            case PREVENT_ALLOW_MEDIUM_REMOVAL -> preventAllow(x);
            case REPORT_LUNS -> data(reportLuns(x));
            case REPORT_TARGET_PORT_GROUPS -> data(alua.report(x, nexuses.keySet()));
            case SET_TARGET_PORT_GROUPS -> {
                alua.set(x, nexuses.keySet());
                yield good();
            }
            case REPORT_SUPPORTED_OPERATION_CODES -> data(supportedOperationCodes.answer(x));
        };
    }

    /** The reply, with the sense in the format D_SENSE asks for and the residual of a Data-Out command. */
    private Reply finish(Exchange x, Reply reply, Throwable error) {
        if (error != null) reply = failure(error);
        if (x.expectedDataOut() >= 0) reply = reply.withResidual(x.expectedDataOut(), x.task.expectedLength());
        if (x.command != null) reply = reply.trimmedTo(x.command.allocationLength(x.cdb));
        return reply;
    }

    private Reply failure(Throwable error) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        SenseData sense;
        if (e instanceof CheckCondition c) {
            if (c.isReservationConflict()) return Reply.reservationConflict();
            sense = c.senseData();
        } else if (e instanceof BlockDeviceException b) {
            // the device's own status when it has no sense (RESERVATION CONFLICT, BUSY); a bare CHECK CONDITION
            // from the device becomes ours with a sense that says nothing more than the device did
            if (b.sense() == null && b.status() != ScsiResponse.CHECK_CONDITION) return Reply.status(b.status());
            sense = SenseData.of(b.sense() != null ? b.sense() : Sense.INTERNAL_TARGET_FAILURE);
        } else if (e instanceof RejectedExecutionException) {
            // the device's bounded queue is full (MultipathBlockDevice): back-pressure, not an error (SAM-5 §5.3.1)
            return Reply.status(ScsiResponse.TASK_SET_FULL);
        } else {
            // no path left in the map, a device bug, or a bug here: a path error for the client's multipath
            sense = SenseData.of(Sense.INTERNAL_TARGET_FAILURE);
        }
        return Reply.check(modePages.descriptorSense() ? sense.descriptorFormat() : sense);
    }

    private static CompletableFuture<Reply> good() {
        return CompletableFuture.completedFuture(Reply.good());
    }

    private static CompletableFuture<Reply> data(byte[] b) {
        return CompletableFuture.completedFuture(Reply.good(b));
    }

    /** REQUEST SENSE (SPC-4 §6.29): the next unit attention (consumed), else NO SENSE; DESC picks the format. */
    private byte[] requestSense(Exchange x) {
        Sense s = x.itNexus.take();
        if (s == null) s = ejected ? Sense.MEDIUM_NOT_PRESENT : CheckCondition.NO_SENSE;
        return ((x.u8(1) & 0x01) != 0 ? s.descriptorFormat() : s).toBytes();
    }

    private CompletableFuture<Reply> modeSelect(Exchange x) {
        if (mode.select(x)) unitAttention(Sense.MODE_PARAMETERS_CHANGED, n -> !n.equals(x.nexus()));
        return good();
    }

    /** REPORT LUNS (SPC-4 §6.33): SELECT REPORT 00h/02h all, 01h well-known LUs (none); clears 3F/0E for the nexus. */
    private byte[] reportLuns(Exchange x) {
        int select = x.u8(2);
        if (select > 2) throw CheckCondition.invalidField(2, -1);
        if (x.u32(6) < 16) throw CheckCondition.invalidField(6, -1);
        x.itNexus.clear(Sense.REPORTED_LUNS_DATA_CHANGED);
        if (select == 1) return ReportLuns.toBytes(List.of());
        List<Lun> luns = settings.luns() == null ? List.of(Lun.of(x.task.lun())) : settings.luns().apply(x.nexus());
        return ReportLuns.toBytes(luns);
    }

    /**
     * START STOP UNIT (SBC-3 §5.25): power conditions change nothing here; LOEJ loads or ejects a removable
     * medium (either refused while a PREVENT is in effect); a non-removable LU ignores START 0 — an array does not
     * spin down for one initiator.
     */
    private CompletableFuture<Reply> startStopUnit(Exchange x) {
        int b4 = x.u8(4);
        boolean loej = (b4 & 0x02) != 0;
        if (b4 >> 4 != 0 || !loej || !settings.removable()) return good();
        // SBC-3 §5.25: LOEJ while removal is prevented is refused, load as well as eject (libiscsi
        // PreventAllow.Eject)
        if (!preventing.isEmpty()) throw CheckCondition.of(CheckCondition.MEDIUM_REMOVAL_PREVENTED);
        ejected = (b4 & 0x01) == 0;
        return good();
    }

    /** PREVENT ALLOW MEDIUM REMOVAL (SBC-3 §5.10): per I_T nexus, cleared by nexus loss and LU reset. */
    private CompletableFuture<Reply> preventAllow(Exchange x) {
        int prevent = x.u8(4) & 0x03;
        if (prevent > 1) throw CheckCondition.invalidField(4, 1);
        if (settings.removable()) {
            if (prevent == 1) preventing.add(x.nexus());
            else preventing.remove(x.nexus());
        }
        return good();
    }

    // ---- I_T nexus lifecycle and unit attentions

    private ItNexus itNexus(Nexus n) {
        ItNexus it = nexuses.get(n);
        return it != null ? it : nexuses.computeIfAbsent(n, ItNexus::new);
    }

    /** A new I_T nexus: its first command (but INQUIRY, REPORT LUNS, REQUEST SENSE) gets POWER ON, RESET 29/00. */
    @Override
    public void nexusAdded(Nexus nexus) {
        ItNexus it = new ItNexus(nexus);
        it.add(Sense.POWER_ON_RESET);
        nexuses.put(nexus, it);
    }

    /** The I_T nexus ended: its RESERVE(6) and PREVENT go; persistent registrations stay. */
    @Override
    public void nexusRemoved(Nexus nexus) {
        nexuses.remove(nexus);
        preventing.remove(nexus);
        reservations.nexusLost(nexus);
    }

    /**
     * LOGICAL UNIT RESET (SAM-5 §6.3.3): releases the RESERVE(6) reservation and every PREVENT, returns the mode
     * pages to their defaults, and establishes BUS DEVICE RESET FUNCTION OCCURRED (29/03) for every I_T nexus,
     * the one that asked included. Commands already handed to the block device complete on their own.
     */
    @Override
    public void reset(Nexus from) {
        reservations.reset();
        preventing.clear();
        modePages.reset();
        unitAttention(CheckCondition.BUS_DEVICE_RESET_FUNCTION_OCCURRED, n -> true);
    }

    /** The device's capacity changed: CAPACITY DATA HAS CHANGED (2A/09) for every I_T nexus. */
    public void capacityChanged() {
        unitAttention(Sense.CAPACITY_DATA_CHANGED, n -> true);
    }

    /** INQUIRY DATA HAS CHANGED (3F/03) for every I_T nexus. */
    public void inquiryDataChanged() {
        unitAttention(Sense.INQUIRY_DATA_CHANGED, n -> true);
    }

    /** REPORTED LUNS DATA HAS CHANGED (3F/0E) for every I_T nexus; REPORT LUNS clears it. */
    public void reportedLunsDataChanged() {
        unitAttention(Sense.REPORTED_LUNS_DATA_CHANGED, n -> true);
    }

    /**
     * ASYMMETRIC ACCESS STATE CHANGED (2A/06) for every I_T nexus but {@code except} (the one whose SET TARGET PORT
     * GROUPS caused it, SPC-4 §5.16: explicit transitions are not announced to their requester; null for an
     * implicit transition).
     */
    public void asymmetricAccessStateChanged(Nexus except) {
        unitAttention(Sense.ASYMMETRIC_ACCESS_STATE_CHANGED, n -> !n.equals(except));
    }

    /** Establishes {@code ua} (a UNIT ATTENTION sense) for every I_T nexus {@code who} accepts. */
    public void unitAttention(Sense ua, Predicate<Nexus> who) {
        for (ItNexus it : nexuses.values())
            if (who.test(it.nexus)) it.add(ua);
    }
}
