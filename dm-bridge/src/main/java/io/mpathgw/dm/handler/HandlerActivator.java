package io.mpathgw.dm.handler;

import io.mpathgw.dm.engine.Path;
import io.mpathgw.dm.engine.PathActivator;
import io.mpathgw.dm.engine.PathHandlerHooks;
import io.mpathgw.dm.engine.ScsiDh;
import io.mpathgw.scsi.Sense;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;

/**
 * Both seams of the engine to hardware handlers, from one binding per path: pg_init ({@link PathActivator},
 * {@code activate}) and normal I/O ({@link PathHandlerHooks}: {@code prep_fn} and {@code check_sense}, which
 * {@code ScsiPathIo.hooks} asks). Each path of a map, by its name in the table, has the {@link AttachedHandler} of
 * its session, as the kernel's {@code sdev->handler} serves scsi_dh_activate() and the mid-layer alike.
 * <ul>
 *   <li>{@link #activate}: a path with no handler bound (yet, or any more) answers SCSI_DH_NOSYS at once, as
 *       scsi_dh_activate() does for a device without one, so pg_init_done fails it.</li>
 *   <li>{@link #admits}: the handler's prep_fn; true without a handler (scsi_dh only calls a handler's own).</li>
 *   <li>{@link #checkSense}: the handler's disposition, mapped by name; NOT_HANDLED without a handler.</li>
 * </ul>
 * Thread-safe: paths are bound and unbound from any thread while maps run; the I/O hooks never block nor allocate.
 */
public final class HandlerActivator implements PathActivator, PathHandlerHooks {

    /** Disposition → SenseDisposition by name, indexed by ordinal; a name missing on either side fails here. */
    private static final SenseDisposition[] BY_ORDINAL = mapByName();

    private final Map<String, AttachedHandler> byPath = new ConcurrentHashMap<>();

    public HandlerActivator() {
    }

    public HandlerActivator(Map<String, ? extends AttachedHandler> paths) {
        byPath.putAll(paths);
    }

    private static SenseDisposition[] mapByName() {
        Disposition[] ds = Disposition.values();
        if (ds.length != SenseDisposition.values().length)
            throw new IllegalStateException("dispositions: " + List.of(ds) + " (expected: the names of "
                    + List.of(SenseDisposition.values()) + ")");
        SenseDisposition[] map = new SenseDisposition[ds.length];
        for (Disposition d : ds) map[d.ordinal()] = SenseDisposition.valueOf(d.name());
        return map;
    }

    /** What the engine does with a handler's {@code check_sense} answer: the disposition of the same name. */
    public static SenseDisposition senseDisposition(Disposition d) {
        return BY_ORDINAL[d.ordinal()];
    }

    /** Binds the path called {@code pathName} in the map's table to its attached handler. */
    public void bind(String pathName, AttachedHandler handler) {
        byPath.put(pathName, handler);
    }

    /** The path left (its session closed): later activations answer SCSI_DH_NOSYS and I/O goes unhooked. */
    public void unbind(String pathName) {
        byPath.remove(pathName);
    }

    public Optional<AttachedHandler> handlerOf(String pathName) {
        return Optional.ofNullable(byPath.get(pathName));
    }

    /** Called on the map thread; {@code done} runs on whatever thread the handler completes on. */
    @Override
    public void activate(Path path, IntConsumer done) {
        AttachedHandler h = byPath.get(path.name());
        if (h == null) {
            done.accept(ScsiDh.NOSYS);
            return;
        }
        h.activate().whenComplete((code, unexpected) -> done.accept(unexpected == null ? code : ScsiDh.IO));
    }

    /** prep_fn: e.g. alua refuses a path whose port group is in standby, unavailable or offline. */
    @Override
    public boolean admits(Path path) {
        AttachedHandler h = byPath.get(path.name());
        return h == null || h.admits();
    }

    /** check_sense on normal I/O: e.g. alua retries 04/0A on the same path and re-reads states after 2A/06. */
    @Override
    public SenseDisposition checkSense(Path path, Sense sense) {
        AttachedHandler h = byPath.get(path.name());
        return h == null ? SenseDisposition.NOT_HANDLED : senseDisposition(h.checkSense(sense));
    }
}
