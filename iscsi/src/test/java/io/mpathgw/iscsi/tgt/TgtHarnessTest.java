package io.mpathgw.iscsi.tgt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The tgt harness against libiscsi's tools: portals, discovery, LUNs, CHAP, digests, kill/restart, cleanup. */
class TgtHarnessTest {

    static final String DISK1 = "iqn.2026-11.io.mpathgw.test:disk1";
    static final String DISK2 = "iqn.2026-11.io.mpathgw.test:disk2";
    static final String CHAP = "user%secret12345678@";
    static final String MUTUAL = "?target_user=tgtuser&target_password=tgtsecret1234";

    static Tgt tgt;

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(Tgt.available(), "tgtd missing: run scripts/install-test-peers.sh");
        assumeTrue(Tgt.exe("iscsi-inq").isPresent() && Tgt.exe("iscsi-ls").isPresent(),
                "libiscsi tools missing: run scripts/install-test-peers.sh");
        tgt = Tgt.builder().portals(2)
                .target(DISK1, t -> t.lun(1, 64 << 20).lun(2, 16 << 20)
                        .chap("user", "secret12345678").mutualChap("tgtuser", "tgtsecret1234").headerDigest(true))
                .target(DISK2, t -> t.lun(1, 16 << 20))
                .start();
    }

    @AfterAll
    static void stop() {
        if (tgt != null) tgt.close();
    }

    @Test
    void listensOnTwoDistinctLoopbackPortals() throws IOException {
        assertThat(tgt.portals()).hasSize(2).doesNotHaveDuplicates();
        assertThat(tgt.portals()).allSatisfy(a -> assertThat(accepts(a)).isTrue());
        assertThat(tgt.tgtadm("--op", "show", "--mode", "portal"))
                .contains("Portal: 127.0.0.1:" + tgt.portals().get(0).getPort() + ",1")
                .contains("Portal: 127.0.0.1:" + tgt.portals().get(1).getPort() + ",1");
        assertThat(ProcessHandle.of(tgt.pid())).hasValueSatisfying(h -> assertThat(h.isAlive()).isTrue());
        assertThat(tgt.logFile()).exists();
    }

    @Test
    void discoveryOnEitherPortalListsBothTargets() throws IOException {
        for (InetSocketAddress a : tgt.portals()) {
            Run ls = run("iscsi-ls", "-s", "iscsi://127.0.0.1:" + a.getPort());  // exits non-zero: disk1 needs CHAP
            assertThat(ls.out).contains("Target:" + DISK1 + " Portal:127.0.0.1:" + a.getPort() + ",1")
                    .contains("Target:" + DISK2 + " Portal:127.0.0.1:" + a.getPort() + ",1")
                    .contains("Lun:1    Type:DIRECT_ACCESS");
        }
    }

    @Test
    void plainLunAnswersThroughEveryPortalWithItsSizeAndSerial() throws IOException {
        for (int i = 0; i < 2; i++) {
            Run inq = run("iscsi-inq", tgt.url(i, DISK2, 1));
            assertThat(inq.exit).as(inq.out).isZero();
            assertThat(inq.out).contains("Peripheral Device Type:DIRECT_ACCESS").contains("Vendor:IET");
            assertThat(run("iscsi-readcapacity16", "-s", tgt.url(i, DISK2, 1)).out.strip()).isEqualTo("" + (16 << 20));
            assertThat(run("iscsi-inq", "-e", "1", "-c", "128", tgt.url(i, DISK2, 1)).out)
                    .contains(tgt.scsiSerial(DISK2, 1) + "]");
        }
    }

    @Test
    void chapTargetRefusesWithoutCredentials() throws IOException {
        Run inq = run("iscsi-inq", tgt.url(0, DISK1, 1));
        assertThat(inq.exit).isNotZero();
        assertThat(inq.out).contains("Authentication failure");
    }

    @Test
    void chapTargetRefusesWrongSecretsAndLeavesMutualChapToTheInitiator() throws IOException {
        Run wrong = run("iscsi-inq", withCreds(tgt.url(0, DISK1, 1), "user%wrongsecret123@") + MUTUAL);
        assertThat(wrong.exit).isNotZero();
        assertThat(wrong.out).contains("Authentication failure");
        Run wrongTarget = run("iscsi-inq", withCreds(tgt.url(0, DISK1, 1), CHAP) + "?target_user=tgtuser&target_password=wrongsecret12");
        assertThat(wrongTarget.exit).isNotZero();
        assertThat(wrongTarget.out).contains("Invalid CHAP_R");                 // libiscsi rejects tgt's answer
        assertThat(run("iscsi-inq", withCreds(tgt.url(0, DISK1, 1), CHAP)).exit)
                .as("an outgoing account does not make tgt insist on mutual CHAP").isZero();
    }

    @Test
    void chapTargetAcceptsMutualChapOnBothLunsAndBothPortals() throws IOException {
        for (int i = 0; i < 2; i++) {
            Run lun1 = run("iscsi-readcapacity16", "-s", withCreds(tgt.url(i, DISK1, 1), CHAP) + MUTUAL);
            assertThat(lun1.out.strip()).as(lun1.out).isEqualTo("" + (64 << 20));
            Run lun2 = run("iscsi-readcapacity16", "-s", withCreds(tgt.url(i, DISK1, 2), CHAP) + MUTUAL);
            assertThat(lun2.out.strip()).as(lun2.out).isEqualTo("" + (16 << 20));
        }
    }

    @Test
    void digestTargetHasHeaderDigestCrc32cAndLogsInWithIt() throws IOException {
        assertThat(tgt.tgtadm("--op", "show", "--mode", "target", "--tid", "" + tgt.tid(DISK1)))
                .contains("HeaderDigest=CRC32C").contains("DataDigest=None");
        Run inq = run("iscsi-inq", withCreds(tgt.url(1, DISK1, 1), CHAP) + MUTUAL + "&header_digest=crc32c");
        assertThat(inq.exit).as(inq.out).isZero();
    }

    @Test
    void killAndRestartKeepPortsIdentityAndData() throws IOException {
        String iqn = "iqn.2026-11.io.mpathgw.test:crash";
        try (Tgt t = Tgt.builder().portals(1).target(iqn, c -> c.lun(1, 1 << 20)).start()) {
            Path file = t.backingFile(iqn, 1);
            byte[] pattern = "written before the crash".getBytes(StandardCharsets.US_ASCII);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(pattern), 4096);
            }
            long pid = t.pid();
            List<InetSocketAddress> portals = t.portals();
            int control = t.controlPort();

            t.kill();
            assertThat(t.isRunning()).isFalse();
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(accepts(portals.get(0))).isFalse();
            assertThat(file).exists();

            t.restart();
            assertThat(t.pid()).isNotEqualTo(pid);
            assertThat(t.portals()).isEqualTo(portals);
            assertThat(t.controlPort()).isEqualTo(control);
            Run inq = run("iscsi-inq", "-e", "1", "-c", "128", t.url(0, iqn, 1));
            assertThat(inq.out).as(inq.out).contains(t.scsiSerial(iqn, 1) + "]");
            assertThat(run("iscsi-readcapacity16", "-s", t.url(0, iqn, 1)).out.strip()).isEqualTo("" + (1 << 20));
            byte[] back = new byte[pattern.length];
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                ch.read(ByteBuffer.wrap(back), 4096);
            }
            assertThat(back).isEqualTo(pattern);
        }
    }

    @Test
    void secondInstanceRunsAlongsideWithItsOwnPortsAndIdentity() throws IOException {
        try (Tgt other = Tgt.builder().target(DISK2, c -> c.lun(1, 16 << 20)).start()) {
            assertThat(other.controlPort()).isNotEqualTo(tgt.controlPort());
            assertThat(other.portals()).doesNotContainAnyElementsOf(tgt.portals());
            assertThat(other.scsiSerial(DISK2, 1)).isNotEqualTo(tgt.scsiSerial(DISK2, 1));
            assertThat(run("iscsi-inq", "-e", "1", "-c", "128", other.url(0, DISK2, 1)).out)
                    .contains(other.scsiSerial(DISK2, 1) + "]");
            assertThat(run("iscsi-inq", tgt.url(0, DISK2, 1)).exit).isZero();
        }
    }

    @Test
    void closeLeavesNoProcessNoPortAndNoFile() throws IOException {
        String iqn = "iqn.2026-11.io.mpathgw.test:gone";
        Tgt t = Tgt.builder().portals(2).target(iqn, c -> c.lun(1, 1 << 20).lun(2, 1 << 20)).start();
        long pid = t.pid();
        List<Path> files = new ArrayList<>(List.of(t.backingFile(iqn, 1), t.backingFile(iqn, 2)));
        files.addAll(TgtReaper.controlFiles(t.controlPort()));
        assertThat(files).allSatisfy(f -> assertThat(f).exists());

        t.close();
        t.close();                                                          // idempotent
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(files).allSatisfy(f -> assertThat(f).doesNotExist());
        assertThat(t.portals()).allSatisfy(a -> assertThat(accepts(a)).isFalse());
        assertThat(TgtReaper.recorded(t.controlPort())).isFalse();
    }

    static String withCreds(String url, String creds) {
        return url.replace("iscsi://", "iscsi://" + creds);
    }

    static boolean accepts(InetSocketAddress a) {
        try (Socket s = new Socket()) {
            s.connect(a, 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    record Run(int exit, String out) {
    }

    static Run run(String... cmd) throws IOException {
        List<String> c = new ArrayList<>(List.of(cmd));
        c.set(0, Tgt.exe(cmd[0]).orElseThrow().toString());
        Process p = new ProcessBuilder(c).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + ": no exit within 30 s; output: " + out);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return new Run(p.exitValue(), out);
    }
}
