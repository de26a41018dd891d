package io.mpathgw.dm.handler;

import io.mpathgw.dm.engine.Path;
import io.mpathgw.dm.engine.PathActivator;
import io.mpathgw.dm.engine.ScsiDh;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;

/**
 * The engine's pg_init hook ({@link PathActivator}) run by hardware handlers: each path of a map, by its name, has
 * the {@link AttachedHandler} of its session; activating the path activates that handler. A path with no handler
 * bound (yet, or any more) answers SCSI_DH_NOSYS at once, as scsi_dh_activate() does for a device without one, so
 * pg_init_done fails it. Thread-safe: paths are bound and unbound from any thread while maps run.
 */
public final class HandlerActivator implements PathActivator {

    private final Map<String, AttachedHandler> byPath = new ConcurrentHashMap<>();

    public HandlerActivator() {
    }

    public HandlerActivator(Map<String, ? extends AttachedHandler> paths) {
        byPath.putAll(paths);
    }

    /** Binds the path called {@code pathName} in the map's table to its attached handler. */
    public void bind(String pathName, AttachedHandler handler) {
        byPath.put(pathName, handler);
    }

    /** The path left (its session closed): later activations answer SCSI_DH_NOSYS. */
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
}
