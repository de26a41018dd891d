package io.mpathgw.gateway.demo;

import io.mpathgw.iscsi.sim.ArraySimulator;

import java.net.InetSocketAddress;

/** The demo's configuration files, as an admin would write them for this array. */
final class DemoFiles {

    private DemoFiles() {
    }

    /** Every portal with its target, timers that notice a dead portal in about 2 s, the exports on loopback. */
    static String gatewayConf(ArraySimulator sim, DemoSettings s) {
        StringBuilder b = new StringBuilder("# written by mpathgw demo for ").append(sim).append('\n');
        b.append("iscsi {\n\tnoop_out_interval 1\n\tnoop_out_timeout 1\n\tlogin_timeout 2\n"
                + "\tcommand_timeout 10\n}\n");
        for (int i = 0; i < sim.portals().size(); i++) {
            InetSocketAddress a = sim.address(i);
            b.append("portal {\n\taddress ").append(a.getHostString()).append(':').append(a.getPort())
                    .append("\n\ttarget ").append(sim.targetName(i)).append("\n}\n");
        }
        b.append("export {\n\tnbd_listen ").append(s.nbdListen()).append("\n\tiscsi_listen ").append(s.iscsiListen())
                .append("\n\ttarget_prefix ").append(DemoArray.TARGET_PREFIX).append("\n}\n");
        return b.toString();
    }

    /**
     * ALUA grouping (group_by_prio with the alua prioritizer: the owning controller's paths form group 1),
     * service-time within a group, immediate failback, and 30 s of queueing (no_path_retry 30 at a 1 s polling
     * interval) when every path is down.
     */
    static String multipathConf() {
        return """
                # written by mpathgw demo
                defaults {
                \tuser_friendly_names yes
                \tpath_grouping_policy group_by_prio
                \tpath_selector "service-time 0"
                \tprio alua
                \tpath_checker tur
                \tfailback immediate
                \tpolling_interval 1
                \tmax_polling_interval 4
                \tchecker_timeout 2
                \tno_path_retry 30
                }
                """;
    }
}
