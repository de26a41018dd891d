package io.mpathgw.gateway.export;

import io.mpathgw.gateway.config.ExportSettings;
import io.mpathgw.gateway.config.PortalAddress;
import io.mpathgw.gateway.model.EventView;
import io.mpathgw.gateway.model.MapView;
import io.mpathgw.scsi.BlockDevice;
import io.mpathgw.scsi.MemoryBlockDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static io.mpathgw.gateway.export.ExportTools.assumeTool;
import static io.mpathgw.gateway.export.ExportTools.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Maps coming and going: a scripted map source (memory devices in place of maps; the daemon never removes a map
 * yet) whose events the exports follow, checked from outside with nbdinfo and iscsi-ls.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExportsFollowMapsTest {

    static final String PREFIX = "iqn.2026-11.io.mpathgw.test:";

    /** Maps by name; every change fires a MAP_* event as the daemon does. */
    static final class ScriptedMaps implements MapSource {
        final Map<String, MapView> views = new LinkedHashMap<>();
        final Map<String, BlockDevice> devices = new LinkedHashMap<>();
        final List<Consumer<EventView>> listeners = new CopyOnWriteArrayList<>();

        void add(String name, String wwid, long bytes) {
            add(name, wwid, new MemoryBlockDevice(512, bytes / 512));
        }

        synchronized void add(String name, String wwid, BlockDevice device) {
            devices.put(name, device);
            long sectors = device.blockCount() * device.blockSize() / 512;
            views.put(name, new MapView(name, wwid, "dm-" + views.size(), "SIMVEND", "SIMPROD", "0001", sectors,
                    512, "0", "0", "rw", "", "", "-", "Optimal", "", "service-time 0", "immediate", "queue", 1, 1,
                    List.of(), null));
            fire("MAP_CREATED", name);
        }

        synchronized void remove(String name) {
            views.remove(name);
            devices.remove(name);
            fire("MAP_REMOVED", name);
        }

        void fire(String kind, String map) {
            for (Consumer<EventView> l : listeners) l.accept(new EventView(0, "", kind, map, "", kind));
        }

        @Override
        public synchronized List<MapView> maps() {
            return new ArrayList<>(views.values());
        }

        @Override
        public synchronized Optional<? extends BlockDevice> blockDevice(String map) {
            return Optional.ofNullable(devices.get(map));
        }

        @Override
        public AutoCloseable onEvent(Consumer<EventView> listener) {
            listeners.add(listener);
            return () -> listeners.remove(listener);
        }
    }

    Exports exports;

    @AfterEach
    void stop() {
        if (exports != null) exports.close();
    }

    void awaitExported(List<String> maps) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!exports.exported().equals(maps) && System.nanoTime() < end) Thread.sleep(10);
        assertThat(exports.exported()).isEqualTo(maps);
    }

    @Test
    void exportsFollowMapsAddedAndRemoved() throws Exception {
        assumeTool("nbdinfo", "libnbd-bin");
        assumeTool("iscsi-ls", "libiscsi-bin");
        ScriptedMaps maps = new ScriptedMaps();
        maps.add("mpatha", "360a6d6700000000000000000000000a1", 16 << 20);
        // an hour between resyncs: only the events can make the exports follow
        exports = Exports.start(new ExportSettings(new PortalAddress("127.0.0.1", 0),
                new PortalAddress("127.0.0.1", 0), PREFIX, List.of(), null, null), maps, Duration.ofHours(1));
        awaitExported(List.of("mpatha"));
        int iscsiPort = exports.iscsiPort();
        String nbd = "nbd://127.0.0.1:" + exports.nbdPort();
        String portal = "iscsi://127.0.0.1:" + iscsiPort;

        maps.add("mpathb", "2001122334455667", 8 << 20);          // an EUI-64 WWID: the LU gets its own NAA
        awaitExported(List.of("mpatha", "mpathb"));
        assertThat(run(Duration.ofSeconds(20), "nbdinfo", "--list", nbd).ok().out())
                .contains("export=\"mpatha\"").contains("export=\"mpathb\"");
        assertThat(run(Duration.ofSeconds(20), "iscsi-ls", portal).ok().out())
                .contains(PREFIX + "mpatha").contains(PREFIX + "mpathb");
        assertThat(exports.iscsiPort()).as("the target keeps its port as nodes are added").isEqualTo(iscsiPort);
        assertThat(run(Duration.ofSeconds(20), "nbdinfo", nbd + "/mpathb").ok().out()).contains("export-size: 8388608");

        maps.remove("mpatha");
        awaitExported(List.of("mpathb"));
        String list = run(Duration.ofSeconds(20), "nbdinfo", "--list", nbd).ok().out();
        assertThat(list).contains("export=\"mpathb\"").doesNotContain("mpatha");
        var gone = run(Duration.ofSeconds(20), "nbdinfo", nbd + "/mpatha");
        assertThat(gone.exit()).as(gone.toString()).isNotZero();
        assertThat(run(Duration.ofSeconds(20), "iscsi-ls", portal).ok().out())
                .contains(PREFIX + "mpathb").doesNotContain(PREFIX + "mpatha");

        maps.remove("mpathb");
        awaitExported(List.of());
        var closed = run(Duration.ofSeconds(20), "iscsi-ls", portal);
        assertThat(closed.exit()).as("no map, no target: " + closed).isNotZero();
        assertThat(run(Duration.ofSeconds(20), "nbdinfo", "--list", nbd).ok().out()).doesNotContain("export=");
    }
}
