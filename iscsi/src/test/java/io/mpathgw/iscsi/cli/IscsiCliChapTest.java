package io.mpathgw.iscsi.cli;

import io.mpathgw.iscsi.tgt.Tgt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** CHAP credentials from the URL reach the login; a rejected login is one line naming the login status. */
class IscsiCliChapTest {

    static final String CHAP = "iqn.2026-11.io.mpathgw.test:cli-chap";
    static final String MUTUAL = "iqn.2026-11.io.mpathgw.test:cli-mutual";

    static Tgt tgt;

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(Tgt.available(), "tgtd missing: apt-get install tgt");
        tgt = Tgt.builder()
                .target(CHAP, t -> t.lun(1, 4 << 20).chap("carol", "carolsecret123"))
                .target(MUTUAL, t -> t.lun(1, 4 << 20).chap("dave", "davesecret1234").mutualChap("array", "arraysecret123"))
                .start();
    }

    @AfterAll
    static void stop() {
        if (tgt != null) tgt.close();
    }

    static String url(String userinfo, String target, String query) {
        InetSocketAddress a = tgt.portals().get(0);
        return "iscsi://" + userinfo + a.getHostString() + ":" + a.getPort() + "/" + target + "/1" + query;
    }

    @Test
    void oneWayChapFromTheUrl() {
        CliRun r = CliRun.of("inq", url("carol%carolsecret123@", CHAP, ""));
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.field("Product")).isEqualTo("VIRTUAL-DISK");
    }

    @Test
    void authKeyChoosesTheOneAlgorithmOffered() {
        CliRun md5 = CliRun.of("inq", "-c", "0x80", url("carol%carolsecret123@", CHAP, "?auth=md5"));
        assertThat(md5.exit()).as(md5.toString()).isZero();
        // tgt 1.0.85 reads CHAP_A=7 as SHA-1 (IANA: SHA-256), so a SHA-256-only offer cannot succeed with it
        CliRun sha256 = CliRun.of("inq", url("carol%carolsecret123@", CHAP, "?auth=sha-256"));
        assertThat(sha256.exit()).as(sha256.toString()).isEqualTo(1);
        assertThat(sha256.err().lines()).as(sha256.toString()).hasSize(1);
        assertThat(sha256.firstErrLine()).as(sha256.toString()).contains("0x0200");
    }

    @Test
    void mutualChapFromTheUrlQuery() {
        CliRun r = CliRun.of("perf", "--seconds", "0.2", "--warmup", "0",
                url("dave%davesecret1234@", MUTUAL, "?target_user=array&target_password=arraysecret123"));
        assertThat(r.exit()).as(r.toString()).isZero();
    }

    @Test
    void wrongSecretIsOneLineWithTheLoginStatus() {
        CliRun r = CliRun.of("inq", url("carol%wrongsecret12@", CHAP, ""));
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.err().lines()).as(r.toString()).hasSize(1);
        assertThat(r.firstErrLine()).as(r.toString())
                .startsWith("mpathgw iscsi inq: login to ")
                .contains(CHAP, "0x0201")
                .doesNotContain("wrongsecret12");
    }

    @Test
    void noCredentialsForAChapTargetIsRejectedToo() {
        CliRun r = CliRun.of("inq", url("", CHAP, ""));
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.firstErrLine()).as(r.toString()).contains("0x0201");
    }
}
