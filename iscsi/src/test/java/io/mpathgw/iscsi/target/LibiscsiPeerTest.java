package io.mpathgw.iscsi.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mpathgw.iscsi.login.ChapCredentials;
import org.junit.jupiter.api.Test;

/**
 * libiscsi's own tools (Debian libiscsi-bin) against our target: discovery, INQUIRY, READ CAPACITY(16), a short
 * iscsi-perf run, CHAP one-way and mutual (libiscsi offers CHAP_A=5 only), and a required header digest.
 */
class LibiscsiPeerTest {

    private static final String MISSING = "libiscsi tools missing: apt-get install libiscsi-bin (scripts/install-test-peers.sh)";

    private static String url(TargetFixture f, String auth, String query) {
        return "iscsi://" + auth + "127.0.0.1:" + f.portal(0).getPort() + "/" + TargetFixture.IQN + "/0" + query;
    }

    @Test
    void lsInqReadCapacityPerf() throws Exception {
        assumeTrue(LibiscsiTool.has("iscsi-ls") && LibiscsiTool.has("iscsi-inq")
                && LibiscsiTool.has("iscsi-readcapacity16") && LibiscsiTool.has("iscsi-perf"), MISSING);
        try (TargetFixture f = new TargetFixture(s -> { }, n -> { }, 2)) {
            LibiscsiTool ls = LibiscsiTool.run(20, "iscsi-ls", "-s", "iscsi://127.0.0.1:" + f.portal(0).getPort());
            assertThat(ls.exit()).as("%s", ls).isZero();
            assertThat(ls.out()).as("%s", ls)
                    .contains("Target:" + TargetFixture.IQN + " Portal:127.0.0.1:" + f.portal(0).getPort() + ",1")
                    .contains("Portal:127.0.0.1:" + f.portal(1).getPort() + ",2")
                    .contains("Lun:0    Type:DIRECT_ACCESS (Size:31M)");
            LibiscsiTool inq = LibiscsiTool.run(20, "iscsi-inq", url(f, "", ""));
            assertThat(inq.out()).as("%s", inq).contains("Vendor:MPATHGW", "Product:TEST DISK", "Peripheral Device Type:DIRECT_ACCESS");
            LibiscsiTool cap = LibiscsiTool.run(20, "iscsi-readcapacity16", url(f, "", ""));
            assertThat(cap.out()).as("%s", cap).contains("LOGICAL BLOCK LENGTH IN BYTES:512", "Total size:33554432");
            LibiscsiTool perf = LibiscsiTool.run(20, "iscsi-perf", "-t", "1", "-m", "16", "-b", "16", url(f, "", ""));
            assertThat(perf.exit()).as("%s", perf).isZero();
            assertThat(perf.out()).as("%s", perf).contains("iops average").doesNotContain("error");
        }
    }

    @Test
    void chapOneWayMutualAndWrong() throws Exception {
        assumeTrue(LibiscsiTool.has("iscsi-inq"), MISSING);
        try (TargetFixture f = new TargetFixture(s -> { }, n -> n.chap(ChapCredentials.of("alice", "alice-secret-12"))
                .mutualChap(ChapCredentials.of("target1", "target-secret-34")))) {
            LibiscsiTool ok = LibiscsiTool.run(20, "iscsi-inq", url(f, "alice%alice-secret-12@", ""));
            assertThat(ok.out()).as("%s", ok).contains("Vendor:MPATHGW");
            LibiscsiTool mutual = LibiscsiTool.run(20, "iscsi-inq", url(f, "alice%alice-secret-12@",
                    "?target_user=target1&target_password=target-secret-34"));
            assertThat(mutual.out()).as("%s", mutual).contains("Vendor:MPATHGW");
            LibiscsiTool wrong = LibiscsiTool.run(20, "iscsi-inq", url(f, "alice%not-her-secret@", ""));
            assertThat(wrong.exit()).as("%s", wrong).isNotZero();
            assertThat(wrong.out()).as("%s", wrong).doesNotContain("Vendor:MPATHGW");
        }
    }

    @Test
    void requiredHeaderDigest() throws Exception {
        assumeTrue(LibiscsiTool.has("iscsi-readcapacity16"), MISSING);
        try (TargetFixture f = new TargetFixture(s -> { }, n -> n.requireHeaderDigest(true))) {
            LibiscsiTool cap = LibiscsiTool.run(20, "iscsi-readcapacity16", url(f, "", "?header_digest=crc32c"));
            assertThat(cap.out()).as("%s", cap).contains("Total size:33554432");
            // with header_digest=none libiscsi offers nothing, and accepts the digest the target then offers
            LibiscsiTool offered = LibiscsiTool.run(20, "iscsi-readcapacity16", url(f, "", "?header_digest=none"));
            assertThat(offered.out()).as("%s", offered).contains("Total size:33554432");
        }
    }
}
