package io.mpathgw.gateway.export;

import io.mpathgw.gateway.config.ExportSettings;
import io.mpathgw.gateway.config.PortalAddress;
import io.mpathgw.iscsi.login.ChapCredentials;
import io.mpathgw.iscsi.target.IscsiTarget;
import io.mpathgw.iscsi.target.PortalConfig;
import io.mpathgw.iscsi.target.TargetNode;
import io.mpathgw.iscsi.target.sbc.SbcLogicalUnit;
import io.mpathgw.iscsi.target.sbc.SbcLogicalUnitBuilder;
import io.netty.channel.EventLoopGroup;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The iSCSI side of the exports: one target node per map, named {@code target_prefix + map}, with the map as LUN 0,
 * all on one portal ({@code iscsi_listen}). One node per map (rather than one node with a LUN per map) lets an
 * initiator log in to exactly the maps it uses, and keeps each LU's LUN stable as maps come and go.
 *
 * <p>The LU keeps the array's identity: its NAA designator in VPD 0x83 (so a client-side multipath sees the same
 * WWID through two gateways), vendor, product and revision; the WWID is also the unit serial number (VPD 0x80).
 *
 * <p>Maps coming and going add and remove nodes of the running target ({@link IscsiTarget#addTarget},
 * {@link IscsiTarget#removeTarget}): sessions to the other maps are not touched. A removed map's sessions are asked
 * to log out (Async Message, then closed after {@link IscsiTarget#REMOVAL_LOGOUT_SECONDS}) and their logins are
 * refused with 0x0204 Target removed; a map whose device changed is removed and added again. The target starts
 * with the first map and stops with the last one, so with no map the port is closed.
 *
 * <p>Back-pressure: the target's CmdSN window ({@code MaxCmdSN = ExpCmdSN - 1 + queue depth - running}) closes
 * while the map holds commands (e.g. queue_if_no_path with every path down), so an initiator can have at most the
 * queue depth of commands in flight per session, and the target reads nothing more it would have to buffer.
 *
 * <p>Not thread-safe: {@link Exports} calls it from its one thread.
 */
final class IscsiExport implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(IscsiExport.class.getName());

    private final ExportSettings settings;
    private final EventLoopGroup group;
    private final String host;
    private int port;
    private IscsiTarget target;
    private Map<String, MapExport> exported = Map.of();

    IscsiExport(ExportSettings settings, EventLoopGroup group) {
        this.settings = settings;
        this.group = group;
        PortalAddress listen = settings.iscsiListen();
        this.host = listen.host();
        this.port = listen.port();
    }

    /** The target name of a map. */
    String targetName(String map) {
        return settings.targetPrefix() + map;
    }

    /** The port the target listens on (the bound one once started; the configured one before). */
    int port() {
        return port;
    }

    Map<String, MapExport> exported() {
        return exported;
    }

    /** Serves exactly {@code maps} from now on, adding and removing target nodes for the maps that changed. */
    void apply(Map<String, MapExport> maps) throws InterruptedException {
        if (maps.isEmpty()) {
            closeTarget();
            return;
        }
        if (target == null) {
            IscsiTarget.Builder b = IscsiTarget.builder().eventLoopGroup(group)
                    .portal(PortalConfig.of(new InetSocketAddress(host, port)));
            for (MapExport m : maps.values()) b.target(node(m));
            target = b.build().start();
            port = target.portal(0).port();
            exported = Map.copyOf(maps);
            LOG.info("iSCSI export on " + host + ":" + port + ": " + String.join(", ",
                    maps.keySet().stream().map(this::targetName).toList()));
            return;
        }
        // what is served is kept step by step, so a failed step leaves exported true and the next pass retries
        Map<String, MapExport> served = new LinkedHashMap<>(exported);
        try {
            for (var e : exported.entrySet()) {
                MapExport now = maps.get(e.getKey());
                if (now != null && now.device() == e.getValue().device()) continue;
                target.removeTarget(targetName(e.getKey()));
                served.remove(e.getKey());
                LOG.info("iSCSI export withdrawn: " + targetName(e.getKey()) + (now == null ? "" : " (device changed)"));
            }
            for (var e : maps.entrySet()) {
                if (served.containsKey(e.getKey())) continue;
                target.addTarget(node(e.getValue()));
                served.put(e.getKey(), e.getValue());
                LOG.info("iSCSI export on " + host + ":" + port + ": " + targetName(e.getKey()));
            }
        } finally {
            exported = Map.copyOf(served);
        }
    }

    private TargetNode node(MapExport m) {
        String name = targetName(m.name());
        SbcLogicalUnitBuilder lu = SbcLogicalUnit.builder(m.device())
                .vendor(MapExport.field(m.vendor(), 8, "MPATHGW"))
                .product(MapExport.field(m.product(), 16, "MULTIPATH MAP"))
                .revision(MapExport.field(m.revision(), 4, "0001"))
                .serial(MapExport.field(m.wwid(), 252, m.name()))
                .targetName(name);
        m.naa().ifPresentOrElse(lu::naa, () -> LOG.warning("map " + m.name() + ": WWID " + m.wwid()
                + " is no NAA designator; the iSCSI export's LU gets a designator of its own"));
        TargetNode.Builder node = TargetNode.builder(name).alias("mpathgw map " + m.name()).lun(0, lu.build());
        if (settings.chapUsername() != null)
            node.chap(ChapCredentials.of(settings.chapUsername(), settings.chapPassword()));
        for (String initiator : settings.allowedInitiators()) node.allowInitiator(initiator);
        return node.build();
    }

    private void closeTarget() {
        if (target == null) return;
        target.close();
        target = null;
        if (!exported.isEmpty()) LOG.info("iSCSI export withdrawn: " + String.join(", ", exported.keySet()));
        exported = Map.of();
    }

    List<String> targetNames() {
        return exported.keySet().stream().map(this::targetName).toList();
    }

    @Override
    public void close() {
        closeTarget();
    }

    /** For tests: a portal's host:port. */
    @Override
    public String toString() {
        return host + ":" + port;
    }

    static Map<String, MapExport> byName(List<MapExport> maps) {
        Map<String, MapExport> m = new LinkedHashMap<>();
        for (MapExport e : maps) m.put(e.name(), e);
        return m;
    }
}
