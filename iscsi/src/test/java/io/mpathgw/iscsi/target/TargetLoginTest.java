package io.mpathgw.iscsi.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpathgw.iscsi.initiator.DiscoveredTarget;
import io.mpathgw.iscsi.initiator.InitiatorConfig;
import io.mpathgw.iscsi.initiator.Session;
import io.mpathgw.iscsi.login.ChapAlgorithm;
import io.mpathgw.iscsi.login.ChapCredentials;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Discovery and login against our target with our initiator: SendTargets, CHAP one-way and mutual, errors. */
class TargetLoginTest {

    @Test
    void sendTargetsAllListsEveryPortalWithItsTag() throws Exception {
        try (TargetFixture f = new TargetFixture(s -> { }, n -> { }, 2)) {
            Session d = f.login(InitiatorConfig.builder(f.portal(1), null).initiatorName(TargetFixture.INITIATOR).build());
            List<DiscoveredTarget> all = d.sendTargets("All").get(5, TimeUnit.SECONDS);
            assertThat(all).hasSize(1);
            assertThat(all.get(0).name()).isEqualTo(TargetFixture.IQN);
            assertThat(all.get(0).addresses()).extracting(Object::toString).containsExactly(
                    "127.0.0.1:" + f.portal(0).getPort() + ",1", "127.0.0.1:" + f.portal(1).getPort() + ",2");
            assertThat(d.sendTargets(TargetFixture.IQN).get(5, TimeUnit.SECONDS)).hasSize(1);
            assertThat(d.sendTargets("iqn.2026-01.io.mpathgw.test:nope").get(5, TimeUnit.SECONDS)).isEmpty();
        }
    }

    @Test
    void longSendTargetsAnswerComesInPiecesByTtt() throws Exception {
        try (TargetFixture f = new TargetFixture(s -> { }, n -> { }, 40)) {
            Session d = f.login(InitiatorConfig.builder(f.portal(0), null).initiatorName(TargetFixture.INITIATOR)
                    .maxRecvDataSegmentLength(512).build());
            List<DiscoveredTarget> all = d.sendTargets("All").get(5, TimeUnit.SECONDS);
            assertThat(all.get(0).addresses()).hasSize(40);     // 40 × ~22 bytes > 512: several Text Responses
        }
    }

    @Test
    void loginWithoutChapAndAnInquiry() throws Exception {
        try (TargetFixture f = new TargetFixture()) {
            Session s = f.login(f.config().build());
            assertThat(s.targetAlias()).isEqualTo("test disk");
            ScsiResponse r = TargetFixture.run(s, ScsiCommand.read(Cdb.inquiry(96), 96));
            assertThat(r.status()).isEqualTo(ScsiResponse.GOOD);
            assertThat(r.data().readableBytes()).isEqualTo(36);
            assertThat(r.underflow()).isTrue();
            assertThat(r.residual()).isEqualTo(60);
            r.release();
            assertThat(f.target.sessions()).hasSize(1);
            assertThat(f.disk.nexuses).extracting(Nexus::initiatorName).containsExactly(TargetFixture.INITIATOR);
        }
    }

    @ParameterizedTest
    @EnumSource(ChapAlgorithm.class)
    void chapWithEachAlgorithm(ChapAlgorithm alg) throws Exception {
        try (TargetFixture f = new TargetFixture(s -> { }, n -> n.chap(ChapCredentials.of("alice", "alice-secret-12")))) {
            Session s = f.login(f.config().chap("alice", "alice-secret-12").chapAlgorithms(List.of(alg)).build());
            assertThat(s.state().toString()).isEqualTo("LOGGED_IN");
        }
    }

    @Test
    void wrongSecretIsAuthenticationFailure() throws Exception {
        try (TargetFixture f = new TargetFixture(s -> { }, n -> n.chap(ChapCredentials.of("alice", "alice-secret-12")))) {
            Session s = f.open(f.config().chap("alice", "wrong-secret-123").build());
            assertThatThrownBy(() -> s.awaitLoggedIn(Duration.ofSeconds(5))).hasMessageContaining("0x0201");
            Session none = f.open(f.config().build());          // no CHAP offered to a target that requires it
            assertThatThrownBy(() -> none.awaitLoggedIn(Duration.ofSeconds(5))).hasMessageContaining("0x0201");
        }
    }

    @Test
    void mutualChap() throws Exception {
        try (TargetFixture f = new TargetFixture(s -> { }, n -> n.chap(ChapCredentials.of("alice", "alice-secret-12"))
                .mutualChap(ChapCredentials.of("target1", "target-secret-34")))) {
            f.login(f.config().chap("alice", "alice-secret-12").mutualChap("target1", "target-secret-34").build());
            Session bad = f.open(f.config().chap("alice", "alice-secret-12").mutualChap("target1", "not-the-secret").build());
            assertThatThrownBy(() -> bad.awaitLoggedIn(Duration.ofSeconds(5))).hasMessageContaining("mutual CHAP failed");
        }
    }

    @Test
    void unknownTargetAndAclAndRefusedLogin() throws Exception {
        try (TargetFixture f = new TargetFixture(s -> { }, n -> n.allowInitiator("iqn.2026-01.io.mpathgw.test:someone-else"))) {
            Session unknown = f.open(InitiatorConfig.builder(f.portal(0), "iqn.2026-01.io.mpathgw.test:nope")
                    .initiatorName(TargetFixture.INITIATOR).build());
            assertThatThrownBy(() -> unknown.awaitLoggedIn(Duration.ofSeconds(5))).hasMessageContaining("0x0203");
            Session denied = f.open(f.config().build());
            assertThatThrownBy(() -> denied.awaitLoggedIn(Duration.ofSeconds(5))).hasMessageContaining("0x0202");
        }
    }

    @Test
    void requiredDigestsAreOfferedAndUsed() throws Exception {
        try (TargetFixture f = new TargetFixture(s -> { }, n -> n.requireHeaderDigest(true).requireDataDigest(true))) {
            Session s = f.login(f.config().headerDigest(true).dataDigest(true).build());
            assertThat(s.negotiated().headerDigest()).isTrue();
            assertThat(s.negotiated().dataDigest()).isTrue();
            ScsiResponse r = TargetFixture.run(s, ScsiCommand.read(Cdb.read16(0, 300), 300 * 512));
            assertThat(r.data().readableBytes()).isEqualTo(300 * 512);
            r.release();
        }
    }
}
