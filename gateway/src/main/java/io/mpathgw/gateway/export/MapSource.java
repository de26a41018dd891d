package io.mpathgw.gateway.export;

import io.mpathgw.gateway.daemon.Gateway;
import io.mpathgw.gateway.model.EventView;
import io.mpathgw.gateway.model.MapView;
import io.mpathgw.scsi.BlockDevice;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** What the exports need of the daemon: its maps, each map's block device, and a nudge when the maps change. */
public interface MapSource {

    /** Snapshots of the maps that exist now (never blocks). */
    List<MapView> maps();

    /** The map's block device, empty while it is not loaded (or after it is gone). */
    Optional<? extends BlockDevice> blockDevice(String map);

    /** Calls {@code listener} for each daemon event (on a daemon thread; it must not block). Close to stop. */
    AutoCloseable onEvent(Consumer<EventView> listener);

    static MapSource of(Gateway gateway) {
        return new MapSource() {
            @Override
            public List<MapView> maps() {
                return gateway.maps();
            }

            @Override
            public Optional<? extends BlockDevice> blockDevice(String map) {
                return gateway.blockDevice(map);
            }

            @Override
            public AutoCloseable onEvent(Consumer<EventView> listener) {
                return gateway.onEvent(listener);
            }
        };
    }
}
