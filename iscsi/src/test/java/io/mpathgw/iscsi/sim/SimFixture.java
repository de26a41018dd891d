package io.mpathgw.iscsi.sim;

import io.mpathgw.iscsi.initiator.EventLoops;
import io.mpathgw.iscsi.initiator.InitiatorConfig;
import io.mpathgw.iscsi.initiator.Session;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.Sense;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A started {@link ArraySimulator} and our initiator's sessions to its portals, all closed by {@link #close()}.
 * Each session is "scanned" after login (one TEST UNIT READY per LUN, answer ignored), as the SCSI scan of a host
 * consumes the power-on unit attention, so tests see the personality's own answers.
 */
final class SimFixture implements AutoCloseable {

    static final String INITIATOR = "iqn.2026-01.io.mpathgw.test:sim-initiator";

    final EventLoopGroup clients = EventLoops.create(2);
    final ArraySimulator sim;
    private final List<Session> sessions = new ArrayList<>();

    SimFixture(Consumer<ArraySimulatorBuilder> config) throws InterruptedException {
        ArraySimulatorBuilder b = ArraySimulator.builder();
        config.accept(b);
        sim = b.build().start();
    }

    InitiatorConfig.Builder config(int portal) {
        return InitiatorConfig.builder(sim.address(portal), sim.targetName(portal)).initiatorName(INITIATOR)
                .loginTimeout(Duration.ofSeconds(3)).commandTimeout(Duration.ofSeconds(5))
                .reconnectInitial(Duration.ofMillis(50)).reconnectCap(Duration.ofMillis(200));
    }

    /** A logged-in, scanned session through portal {@code portal}. */
    Session login(int portal) throws Exception {
        return login(config(portal).build());
    }

    Session login(InitiatorConfig cfg) throws Exception {
        Session s = Session.open(cfg, clients);
        sessions.add(s);
        s.awaitLoggedIn(Duration.ofSeconds(5));
        for (SimLun l : sim.luns()) run(s, l.number(), ScsiCommand.none(Cdb.testUnitReady())).release();
        return s;
    }

    /** Opens a session without waiting for it; closed with the fixture. */
    Session open(InitiatorConfig cfg) {
        Session s = Session.open(cfg, clients);
        sessions.add(s);
        return s;
    }

    static ScsiResponse run(Session s, int lun, ScsiCommand c) throws Exception {
        return s.lun(lun).submit(c).get(10, TimeUnit.SECONDS);
    }

    /** GOOD, and the Data-In as bytes. */
    static byte[] data(Session s, int lun, ScsiCommand c) throws Exception {
        ScsiResponse r = run(s, lun, c);
        try {
            assertThat(r.status()).as("%s", r).isEqualTo(ScsiResponse.GOOD);
            return ByteBufUtil.getBytes(r.data());
        } finally {
            r.release();
        }
    }

    /** CHECK CONDITION with {@code expected} key/ASC/ASCQ. */
    static void expectCheck(Session s, int lun, ScsiCommand c, Sense expected) throws Exception {
        ScsiResponse r = run(s, lun, c);
        try {
            assertThat(r.status()).as("%s", r).isEqualTo(ScsiResponse.CHECK_CONDITION);
            assertThat(r.sense().matches(expected)).as("sense %s (expected: %s)", r.sense(), expected).isTrue();
        } finally {
            r.release();
        }
    }

    static void expectGood(Session s, int lun, ScsiCommand c) throws Exception {
        data(s, lun, c);
    }

    static ScsiCommand tur() {
        return ScsiCommand.none(Cdb.testUnitReady());
    }

    static ScsiCommand read(long lba, int blocks) {
        return ScsiCommand.read(Cdb.read16(lba, blocks), blocks * 512);
    }

    static ScsiCommand write(long lba, byte[] data) {
        return ScsiCommand.write(Cdb.write16(lba, data.length / 512, false), Unpooled.wrappedBuffer(data));
    }

    static ScsiCommand vpd(int page, int length) {
        return ScsiCommand.read(Cdb.inquiryVpd(page, length), length);
    }

    static ScsiCommand inquiry(int length) {
        return ScsiCommand.read(Cdb.inquiry(length), length);
    }

    static ScsiCommand rtpg(boolean ext) {
        return ScsiCommand.read(Cdb.reportTargetPortGroups(ext, 1024), 1024);
    }

    static ScsiCommand writeData(byte[] cdb, byte[] list) {
        ByteBuf b = Unpooled.wrappedBuffer(list);
        return ScsiCommand.write(cdb, b);
    }

    @Override
    public void close() {
        for (Session s : sessions) s.close();
        sim.close();
        clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
