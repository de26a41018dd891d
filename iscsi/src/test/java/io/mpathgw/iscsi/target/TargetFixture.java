package io.mpathgw.iscsi.target;

import io.mpathgw.iscsi.initiator.EventLoops;
import io.mpathgw.iscsi.initiator.InitiatorConfig;
import io.mpathgw.iscsi.initiator.Session;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiResponse;
import io.netty.channel.EventLoopGroup;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * An {@link IscsiTarget} on loopback with one {@link TestDisk} per LUN, and our initiator's sessions against it;
 * everything is closed by {@link #close()}. Test values differ from the defaults on purpose.
 */
final class TargetFixture implements AutoCloseable {

    static final String IQN = "iqn.2026-01.io.mpathgw.test:disk1";
    static final String INITIATOR = "iqn.2026-01.io.mpathgw.test:initiator";
    static final int BLOCK = 512;
    static final long BLOCKS = 65536;           // 32 MiB

    final EventLoopGroup clients = EventLoops.create(2);
    final TestDisk disk = new TestDisk(BLOCK, BLOCKS, "SN0001");
    final IscsiTarget target;
    private final List<Session> sessions = new ArrayList<>();

    TargetFixture() throws InterruptedException {
        this(s -> { }, n -> { });
    }

    TargetFixture(Consumer<TargetSettings.Builder> settings, Consumer<TargetNode.Builder> node) throws InterruptedException {
        this(settings, node, 1);
    }

    TargetFixture(Consumer<TargetSettings.Builder> settings, Consumer<TargetNode.Builder> node, int portals)
            throws InterruptedException {
        TargetSettings.Builder sb = TargetSettings.builder().loginTimeout(Duration.ofSeconds(5));
        settings.accept(sb);
        TargetNode.Builder nb = TargetNode.builder(IQN).alias("test disk").lun(0, disk);
        node.accept(nb);
        IscsiTarget.Builder b = IscsiTarget.builder().settings(sb.build()).target(nb.build()).threads(2);
        for (int i = 0; i < portals; i++)
            b.portal(PortalConfig.of(new InetSocketAddress("127.0.0.1", 0), i + 1, i + 1, i + 1));
        target = b.build().start();
    }

    InetSocketAddress portal(int i) {
        return target.portal(i).address();
    }

    InitiatorConfig.Builder config() {
        return InitiatorConfig.builder(portal(0), IQN).initiatorName(INITIATOR)
                .loginTimeout(Duration.ofSeconds(5)).commandTimeout(Duration.ofSeconds(10))
                .reconnectInitial(Duration.ofMillis(50)).reconnectCap(Duration.ofMillis(200));
    }

    /** Opens a session; closed with the fixture. */
    Session open(InitiatorConfig cfg) {
        Session s = Session.open(cfg, clients);
        sessions.add(s);
        return s;
    }

    Session login(InitiatorConfig cfg) throws Exception {
        return open(cfg).awaitLoggedIn(Duration.ofSeconds(5));
    }

    static ScsiResponse run(Session s, ScsiCommand c) throws Exception {
        return s.lun(0).submit(c).get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        for (Session s : sessions) s.close();
        target.close();
        disk.dispose();
        clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
