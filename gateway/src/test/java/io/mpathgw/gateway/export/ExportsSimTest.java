package io.mpathgw.gateway.export;

import io.mpathgw.gateway.config.ExportSettings;
import io.mpathgw.gateway.config.PortalAddress;
import io.mpathgw.gateway.daemon.Gateway;
import io.mpathgw.gateway.daemon.GatewaySetup;
import io.mpathgw.gateway.daemon.MapSettings;
import io.mpathgw.gateway.daemon.Policies;
import io.mpathgw.gateway.model.MapView;
import io.mpathgw.iscsi.sim.ArraySimulator;
import io.mpathgw.iscsi.sim.Personality;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static io.mpathgw.gateway.export.ExportTools.assumeTool;
import static io.mpathgw.gateway.export.ExportTools.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exports of a real map: the daemon over the simulated dual-controller ALUA array (4 portals), its map offered
 * over NBD and iSCSI on loopback, checked with libiscsi's and libnbd's and qemu's tools.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ExportsSimTest {

    static final String PREFIX = "iqn.2026-11.io.mpathgw.test:";

    ArraySimulator sim;
    Gateway gw;
    Exports exports;

    @BeforeEach
    void start() throws Exception {
        sim = ArraySimulator.builder().personality(Personality.ALUA).portalsPerController(2).lun(0, 64L << 20)
                .build().start();
        MapSettings s = MapSettings.DEFAULTS.withTimers(Duration.ofMillis(200), Duration.ofMillis(800),
                        Duration.ofMillis(500)).withGrouping("group_by_prio").withHandler("alua", "alua")
                .withFailback("immediate");
        gw = Gateway.start(GatewaySetup.builder().nop(Duration.ofMillis(500), Duration.ofMillis(500))
                .loginTimeout(Duration.ofSeconds(2)).commandTimeout(Duration.ofSeconds(2))
                .reconnectCap(Duration.ofMillis(200)).discoveryTimeout(Duration.ofSeconds(10))
                .policies(Policies.uniform(s, true)).portal(GatewaySetup.Portal.discover(sim.address(0))).build());
    }

    @AfterEach
    void stop() {
        if (exports != null) exports.close();
        if (gw != null) gw.close();
        if (sim != null) sim.close();
    }

    static ExportSettings loopback(List<String> allowed, String chapUser, String chapSecret) {
        return new ExportSettings(new PortalAddress("127.0.0.1", 0), new PortalAddress("127.0.0.1", 0), PREFIX,
                allowed, chapUser, chapSecret);
    }

    void awaitExported(String map) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!exports.exported().contains(map) && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(exports.exported()).as("exported maps; daemon maps " + gw.mapNames()).contains(map);
    }

    String lunUrl(String map) {
        return "iscsi://127.0.0.1:" + exports.iscsiPort() + "/" + PREFIX + map + "/0";
    }

    @Test
    void iscsiExportKeepsTheArraysWwidAndCarriesDataThatNbdReadsBack(@TempDir Path dir) throws Exception {
        assumeTool("iscsi-inq", "libiscsi-bin");
        assumeTool("qemu-img", "qemu-utils qemu-block-extra");
        exports = Exports.start(loopback(List.of(), null, null), MapSource.of(gw));
        awaitExported("mpatha");
        MapView map = gw.map("mpatha").orElseThrow();
        String naaHex = map.wwid().substring(1);
        assertThat(naaHex).isEqualTo(sim.lun(0).wwid().substring(1));

        String ls = run(Duration.ofSeconds(20), "iscsi-ls", "-s", "iscsi://127.0.0.1:" + exports.iscsiPort()).ok().out();
        assertThat(ls).contains(PREFIX + "mpatha").contains("Lun:0");

        // VPD 0x83: the array's NAA designator, byte for byte
        String vpd83 = run(Duration.ofSeconds(20), "iscsi-inq", "-e", "1", "-c", "131", lunUrl("mpatha")).ok().out();
        assertThat(vpd83.toLowerCase().replaceAll("[^0-9a-z\n]", "")).as(vpd83).contains(naaHex.toLowerCase());
        String std = run(Duration.ofSeconds(20), "iscsi-inq", lunUrl("mpatha")).ok().out();
        assertThat(std).as(std).contains(map.vendor()).contains(map.product());

        // write a random file through iSCSI, read it back through NBD: the same map, the same bytes
        byte[] data = new byte[8 << 20];
        new Random(7).nextBytes(data);
        Path in = Files.write(dir.resolve("in.raw"), data);
        run(Duration.ofSeconds(60), "qemu-img", "convert", "-n", "-f", "raw", "-O", "raw", in.toString(),
                lunUrl("mpatha")).ok();
        String nbd = "nbd://127.0.0.1:" + exports.nbdPort() + "/mpatha";
        Path back = dir.resolve("back.raw");
        run(Duration.ofSeconds(60), "qemu-img", "convert", "-f", "raw", "-O", "raw", nbd, back.toString()).ok();
        byte[] read = Files.readAllBytes(back);
        assertThat(read.length).isEqualTo(64 << 20);
        assertThat(java.util.Arrays.equals(read, 0, data.length, data, 0, data.length)).as("first 8 MiB").isTrue();
        // and the array itself holds it (through a fresh read of the map's device)
        var dev = gw.blockDevice("mpatha").orElseThrow();
        var buf = dev.read(1000, 8).get(5, TimeUnit.SECONDS);
        try {
            byte[] b = new byte[buf.readableBytes()];
            buf.readBytes(b);
            assertThat(b).isEqualTo(java.util.Arrays.copyOfRange(data, 1000 * 512, 1008 * 512));
        } finally {
            buf.release();
        }
    }

    @Test
    void iscsiPerfRunsAgainstTheExportedMap() throws Exception {
        assumeTool("iscsi-perf", "libiscsi-bin");
        exports = Exports.start(loopback(List.of(), null, null), MapSource.of(gw));
        awaitExported("mpatha");
        // iscsi-perf runs until interrupted; its last "iops average" line is the whole run
        Process p = new ProcessBuilder("iscsi-perf", "-m", "16", "-b", "8", "-r", lunUrl("mpatha"))
                .redirectErrorStream(true).start();
        Thread.sleep(3000);
        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes()).replace('\r', '\n');
        assertThat(out).as(out).containsPattern("iops average [1-9]");
        assertThat(gw.map("mpatha").orElseThrow().counters().reads()).isGreaterThan(100);
    }

    @Test
    void chapAndTheInitiatorAllowListGuardTheExport() throws Exception {
        assumeTool("iscsi-inq", "libiscsi-bin");
        String allowed = "iqn.2026-11.io.mpathgw.test:client1";
        exports = Exports.start(loopback(List.of(allowed), "client", "secret-of-twelve"), MapSource.of(gw));
        awaitExported("mpatha");
        String url = "iscsi://client%secret-of-twelve@127.0.0.1:" + exports.iscsiPort() + "/" + PREFIX + "mpatha/0";
        assertThat(run(Duration.ofSeconds(20), "iscsi-inq", "-i", allowed, url).ok().out()).contains("Peripheral");
        var noChap = run(Duration.ofSeconds(20), "iscsi-inq", "-i", allowed, lunUrl("mpatha"));
        assertThat(noChap.exit()).as(noChap.toString()).isNotZero();
        var wrongSecret = run(Duration.ofSeconds(20), "iscsi-inq", "-i", allowed,
                url.replace("secret-of-twelve", "not-the-secret"));
        assertThat(wrongSecret.exit()).as(wrongSecret.toString()).isNotZero();
        var otherInitiator = run(Duration.ofSeconds(20), "iscsi-inq", "-i", "iqn.2026-11.io.mpathgw.test:intruder", url);
        assertThat(otherInitiator.exit()).as(otherInitiator.toString()).isNotZero();
    }
}
