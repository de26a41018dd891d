package io.mpathgw.gateway.format;

import io.mpathgw.gateway.model.GroupView;
import io.mpathgw.gateway.model.MapCounters;
import io.mpathgw.gateway.model.MapView;
import io.mpathgw.gateway.model.PathCounters;
import io.mpathgw.gateway.model.PathView;

import java.util.ArrayList;
import java.util.List;

/** Model snapshots for the maps of spec §7.10 and a few more, as the daemon would publish them. */
public final class Fixtures {

    public static final long GIB = 2L * 1024 * 1024;      // sectors

    private Fixtures() {
    }

    public static PathView path(String map, String dev, String devT, String hcil, String dmState, String checkerState,
                                String online, int priority, int group) {
        int lun = hcil.isEmpty() ? 0 : Integer.parseInt(hcil.substring(hcil.lastIndexOf(':') + 1));
        return new PathView(map, dev, devT, hcil, "127.0.0." + (group + 1) + ":3260,1",
                "iqn.2026-11.io.mpathgw.sim:array", "400001370000", 1, lun, "", dmState, checkerState, online, "tur",
                dmState.equals("active") ? 3 : 1, 5, "alua", priority, group, priority >= 50 ? "active/optimized" : "active/non-optimized", group,
                false, false, "", "", new PathCounters(0, 0, 0, 0, 0, 0, 0));
    }

    public static GroupView group(int number, String selector, int prio, String status, PathView... paths) {
        return new GroupView(number, selector, prio, status, List.of(paths));
    }

    public static MapView map(String name, String wwid, String dm, String vendor, String product, long sectors,
                              String features, String hwHandler, String failback, String queueing,
                              MapCounters counters, GroupView... groups) {
        int active = 0, all = 0;
        for (GroupView g : groups)
            for (PathView p : g.paths()) {
                all++;
                if (p.dmState().equals("active")) active++;
            }
        return new MapView(name, wwid, dm, vendor, product, "9800", sectors, 512, features, hwHandler, "rw",
                "0 " + sectors + " multipath 0 0 0 0", "0 " + sectors + " multipath 2 0 0 0 0 0", queueing,
                "Optimal", "", groups.length == 0 ? "" : groups[0].selector(), failback, "queue", active, all,
                List.of(groups), counters);
    }

    public static MapCounters counters(long faults, long switches, long loads, long qTime, long qTimeouts) {
        return new MapCounters(faults, switches, loads, qTime, qTimeouts, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** The typical two-group ALUA map of spec §7.10 (NetApp, sdd failed). */
    public static MapView netapp() {
        String m = "mpatha";
        return map(m, "3600a098038303053453f463045727a48", "dm-0", "NETAPP", "LUN C-Mode", 10 * GIB,
                "3 queue_if_no_path pg_init_retries 50", "1 alua", "immediate", "on", counters(2, 1, 3, 0, 0),
                group(1, "service-time 0", 50, "active",
                        path(m, "sda", "8:0", "1:0:0:0", "active", "ready", "running", 50, 1),
                        path(m, "sdc", "8:32", "2:0:0:0", "active", "ready", "running", 50, 1)),
                group(2, "service-time 0", 10, "enabled",
                        path(m, "sdb", "8:16", "1:0:1:0", "active", "ready", "running", 10, 2),
                        path(m, "sdd", "8:48", "2:0:1:0", "failed", "faulty", "running", 10, 2)));
    }

    /** The map of opensvc/multipath-tools issue #92 (one round-robin group of three paths, 6 TiB). */
    public static MapView issue92() {
        String m = "mpathb";
        return map(m, "360050768108101c4a000000000000011", "dm-1", "IBM", "2145", 6 * 1024 * GIB, "0", "1 alua",
                "manual", "-", counters(0, 0, 1, 0, 0),
                group(1, "round-robin 0", 50, "active",
                        path(m, "sdb", "8:16", "11:0:0:11", "active", "ready", "running", 50, 1),
                        path(m, "sde", "8:64", "13:0:0:11", "active", "ready", "running", 50, 1),
                        path(m, "sda", "8:0", "13:0:2:11", "active", "ready", "running", 50, 1)));
    }

    /**
     * group_by_prio over an ALUA LUN whose INQUIRY gave no vendor/product, named by its WWID: the optimized group
     * with one path on a high host number, the other group with a failed offline path and a standby (ghost) one.
     */
    public static MapView unknownVendorAlua() {
        String m = "36001405a1b2c3d4e5f60718293a4b5c6";
        return map(m, m, "dm-3", "##", "##", 5 * GIB, "1 queue_if_no_path", "1 alua", "immediate", "12 chk",
                counters(7, 2, 4, 31, 1),
                group(1, "service-time 0", 50, "active",
                        path(m, "sdc", "8:32", "3:0:0:1", "active", "ready", "running", 50, 1),
                        path(m, "sdaa", "65:160", "10:0:0:1", "active", "ready", "running", 50, 1)),
                group(2, "service-time 0", 1, "enabled",
                        path(m, "sdd", "8:48", "4:0:0:1", "failed", "faulty", "offline", 10, 2),
                        path(m, "sde", "8:64", "5:0:0:1", "active", "ghost", "running", 1, 2)));
    }

    /** A local virtio disk multipathd knows but maps nothing onto (no SCSI address, no map). */
    public static PathView orphanVda() {
        return new PathView("", "vda", "254:0", "", "", "", "", 0, -1, "", "undef", "undef", "running", "", 0, 0, "", -1,
                -1, "", 0, false, false, "", "", new PathCounters(0, 0, 0, 0, 0, 0, 0));
    }

    public static List<PathView> pathsOf(MapView... maps) {
        List<PathView> all = new ArrayList<>();
        for (MapView m : maps) m.groups().forEach(g -> all.addAll(g.paths()));
        return all;
    }
}
