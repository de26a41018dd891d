package io.mpathgw.dm.engine;

import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.ScsiTransport;
import io.mpathgw.scsi.Sense;
import io.mpathgw.scsi.TransportException;
import io.netty.util.ReferenceCountUtil;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;

/**
 * The engine's {@link PathIo} over SCSI: each path of a map is one {@link ScsiTransport} (an iSCSI session's LUN),
 * bound by the path's name in the table. A request ({@link ScsiRequest}) becomes READ(16), WRITE(16), SYNCHRONIZE
 * CACHE(16), WRITE SAME(16) or UNMAP; its end is classified as the SCSI mid-layer does (spec §4.4, {@link
 * ScsiOutcome}): transport failures ({@link TransportException}) and the CHECK CONDITIONs the kernel counts as path
 * errors fail the path and requeue the request on another; the LU's own errors (MEDIUM ERROR, ILLEGAL REQUEST 21/00
 * LBA out of range, DATA PROTECT, reservation conflict…) go back to the client and leave the path alone. Unit
 * attentions, BUSY and the NOT READY "in progress" codes are retried on the same path first, within
 * {@link Settings}. A hardware handler's prep_fn and check_sense ({@link PathHandlerHooks}) come before that.
 *
 * <p><b>Buffers.</b> Each attempt sends a Data-Out buffer of its own ({@link ScsiRequest#command()}: a retained
 * duplicate of the request's data), which the transport owns and releases; the request keeps its own reference and
 * releases it exactly once, when the map completes it. A requeue therefore never resends a buffer object that the
 * old connection also holds (nor a reader index it moved). And since a transport fails a command only once it is
 * dead on the wire — the initiator's Connection fails outstanding tasks in channelInactive, after the socket is
 * closed; a timed-out command fails only after the target confirmed ABORT TASK, or after the connection was dropped
 * when the abort went unanswered — no byte of an earlier attempt can still leave on the old connection, nor be
 * executed by the target, once the request is sent again elsewhere: a retried write never races its own earlier
 * copy. (What a target executed before the connection died stays executed: the same bytes, written again.)
 *
 * <p>{@link java.util.concurrent.RejectedExecutionException} from a transport (its queue depth is reached) is
 * back-pressure, not a failure: the attempt ends {@link BlkStatus#DEV_RESOURCE} and the map retries it shortly.
 *
 * <p>Thread-safe: paths are bound and unbound from any thread while the map runs; attempts complete on the
 * transports' I/O threads and hand their outcome to the map, which hops onto its own thread.
 */
public final class ScsiPathIo implements PathIo {

    /**
     * The mid-layer's retry limits for one request on one path.
     *
     * @param maxRetries   counted retries (unit attention, aborted command, handler NEEDS_RETRY): the kernel's 5
     * @param retryTime    how long a request may keep being retried on one path (the kernel allows
     *                     (retries + 1) × the command timeout); then it fails with its last error
     * @param delayedRetry the pause before a NOT READY "in progress" or ALUA-transition retry (1 s)
     * @param busyRetry    the pause before a BUSY / TASK SET FULL / ADD_TO_MLQUEUE retry
     */
    public record Settings(int maxRetries, Duration retryTime, Duration delayedRetry, Duration busyRetry) {
        public static final Settings KERNEL = new Settings(5, Duration.ofSeconds(180), Duration.ofSeconds(1),
                Duration.ofMillis(3));

        public Settings {
            if (maxRetries < 0) throw new IllegalArgumentException("maxRetries: " + maxRetries + " (expected: >= 0)");
            Objects.requireNonNull(retryTime, "retryTime");
            Objects.requireNonNull(delayedRetry, "delayedRetry");
            Objects.requireNonNull(busyRetry, "busyRetry");
        }
    }

    /** {@link ScsiRequest#failed}'s SCSI status when the device gave none. */
    private static final int NO_STATUS = -1;

    private final MapThread thread;
    private final Settings settings;
    private final Map<String, ScsiTransport> transports = new ConcurrentHashMap<>();
    private volatile PathHandlerHooks hooks = PathHandlerHooks.NONE;

    /** @param thread the map's thread: delayed retries are scheduled on it, and its clock bounds retry time */
    public ScsiPathIo(MapThread thread) {
        this(thread, Settings.KERNEL);
    }

    public ScsiPathIo(MapThread thread, Settings settings) {
        this.thread = Objects.requireNonNull(thread, "thread");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * Binds the path called {@code pathName} in the map's table to {@code transport} (replacing any earlier one). For a
     * table reload ({@link MultipathDevice#reload(TableReload)}), bind the new table's paths before the reload, and
     * unbind the removed ones only once it completed: until the swap, requests still drain through them.
     */
    public ScsiPathIo bind(String pathName, ScsiTransport transport) {
        transports.put(pathName, Objects.requireNonNull(transport, "transport"));
        return this;
    }

    /** The path's transport is gone: its I/O fails as a path error until bound again. */
    public void unbind(String pathName) {
        transports.remove(pathName);
    }

    public Optional<ScsiTransport> transport(String pathName) {
        return Optional.ofNullable(transports.get(pathName));
    }

    /** The hardware handler's prep_fn and check_sense for the map's paths. */
    public ScsiPathIo hooks(PathHandlerHooks hooks) {
        this.hooks = Objects.requireNonNull(hooks, "hooks");
        return this;
    }

    @Override
    public void submit(Path path, MapRequest request, Done done) {
        if (!(request instanceof ScsiRequest rq)) {
            done.complete(BlkStatus.NOTSUPP, "request " + request.getClass().getName()
                    + " (expected: a ScsiRequest for a SCSI path)");
            return;
        }
        new Attempt(path, rq, done).send();
    }

    /** One request on one path, with its retries there; a requeue to another path is a new Attempt. */
    private final class Attempt {
        private final Path path;
        private final ScsiRequest rq;
        private final Done done;
        private final long startNanos = thread.nanoTime();
        private int retries;

        Attempt(Path path, ScsiRequest rq, Done done) {
            this.path = path;
            this.rq = rq;
            this.done = done;
        }

        void send() {
            ScsiTransport t = transports.get(path.name());
            if (t == null) {
                end(BlkStatus.TRANSPORT, NO_STATUS, null, "no transport bound to path " + path.name());
                return;
            }
            if (!admits()) {
                end(BlkStatus.IOERR, NO_STATUS, null,
                        "hardware handler refuses I/O on path " + path.name() + " (prep_fn)");
                return;
            }
            ScsiCommand cmd;
            try {
                cmd = rq.command();
            } catch (RuntimeException e) {             // no SCSI command expresses it: the request's fault
                end(BlkStatus.NOTSUPP, NO_STATUS, null, e.getMessage());
                return;
            }
            try {
                t.submit(cmd).whenComplete((r, e) -> {
                    if (e != null) transportFailed(e, t);
                    else answered(r, t);
                });
            } catch (RuntimeException e) {             // against the contract; never leave the request pending
                ReferenceCountUtil.safeRelease(cmd.dataOut());
                end(BlkStatus.IOERR, NO_STATUS, null, "path " + t.describe() + " threw on submit: " + e);
            }
        }

        private boolean admits() {
            try {
                return hooks.admits(path);
            } catch (RuntimeException e) {                 // a broken hook must not leave the request pending
                return false;
            }
        }

        private void transportFailed(Throwable e, ScsiTransport t) {
            Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (c instanceof RejectedExecutionException) {
                done.complete(BlkStatus.DEV_RESOURCE, c.getMessage());     // not dispatched: nothing to record
            } else if (c instanceof TransportException te) {
                end(ScsiOutcome.ofTransport(te.kind()), NO_STATUS, null, te.getMessage());
            } else {
                end(BlkStatus.IOERR, NO_STATUS, null, "path " + t.describe() + ": " + c);
            }
        }

        private void answered(ScsiResponse r, ScsiTransport t) {
            ScsiOutcome o = outcome(r);
            if (o.action() != ScsiOutcome.Action.COMPLETE) {
                if (retry(o)) {
                    r.release();
                    return;
                }
                o = ScsiOutcome.complete(o.status(), o.reason() + ", retries spent after " + retries);
            }
            if (o.status() == BlkStatus.OK) {
                String refused = rq.succeeded(r);
                if (refused == null) done.complete(BlkStatus.OK, null);
                else end(BlkStatus.IOERR, NO_STATUS, null, refused + " on " + t.describe());
                return;
            }
            try {
                end(o.status(), r.status(), r.sense(), o.reason() + " on " + t.describe());
            } finally {
                r.release();
            }
        }

        /** The handler's check_sense first (CHECK CONDITION with sense only), then the mid-layer's rules. */
        private ScsiOutcome outcome(ScsiResponse r) {
            if (r.status() == ScsiResponse.CHECK_CONDITION && r.sense() != null) {
                PathHandlerHooks.SenseDisposition d;
                try {
                    d = hooks.checkSense(path, r.sense());
                } catch (RuntimeException e) {             // a broken hook must not leave the request pending
                    d = PathHandlerHooks.SenseDisposition.NOT_HANDLED;
                }
                switch (d) {
                    case NEEDS_RETRY -> {
                        if (retries < settings.maxRetries())
                            return new ScsiOutcome(ScsiOutcome.Action.RETRY, BlkStatus.IOERR, "handler check_sense");
                    }
                    case ADD_TO_MLQUEUE -> {
                        return new ScsiOutcome(ScsiOutcome.Action.RETRY_UNCOUNTED, BlkStatus.IOERR, "handler check_sense");
                    }
                    case SUCCESS -> {
                        return ScsiOutcome.complete(BlkStatus.IOERR, "handler check_sense fails the I/O: " + r.sense());
                    }
                    case NOT_HANDLED -> {
                    }
                }
            }
            return ScsiOutcome.of(r.status(), r.sense());
        }

        /** Sends the command again on this path if the retry limits allow; false when they are spent. */
        private boolean retry(ScsiOutcome o) {
            if (thread.nanoTime() - startNanos >= settings.retryTime().toNanos()) return false;
            switch (o.action()) {
                case RETRY -> {
                    if (retries >= settings.maxRetries()) return false;
                    retries++;
                    send();
                }
                case RETRY_UNCOUNTED -> thread.schedule(this::send, settings.busyRetry().toMillis());
                case DELAYED_RETRY -> thread.schedule(this::send, settings.delayedRetry().toMillis());
                case COMPLETE -> throw new IllegalStateException("not a retry: " + o);
            }
            return true;
        }

        private void end(BlkStatus status, int scsiStatus, Sense sense, String cause) {
            rq.failed(status, scsiStatus, sense, cause);
            done.complete(status, cause);
        }
    }
}
