package io.mpathgw.iscsi.login;

import static io.mpathgw.iscsi.login.LoginScript.ACCEPT_ALL;
import static io.mpathgw.iscsi.login.LoginScript.INITIATOR;
import static io.mpathgw.iscsi.login.LoginScript.TARGET;
import static io.mpathgw.iscsi.login.LoginScript.assertStep;
import static io.mpathgw.iscsi.login.LoginScript.chapResponse;
import static io.mpathgw.iscsi.login.LoginScript.config;
import static io.mpathgw.iscsi.login.LoginScript.hex;
import static io.mpathgw.iscsi.login.LoginScript.unhex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SecurityNegotiation: AuthMethod, one-way and mutual CHAP, against scripted target responses. */
class LoginConversationSecurityTest {

    private static final ChapCredentials OURS = ChapCredentials.of("gw-user", "initiator-secret-16");
    private static final ChapCredentials THEIRS = ChapCredentials.of("array-user", "target-secret-0042");
    private static final byte[] CHALLENGE = "a challenge of 32 bytes, random!".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest(name = "CHAP_A={0} ({1})")
    @CsvSource({"5, MD5", "6, SHA-1", "7, SHA-256", "8, SHA3-256"})
    void oneWayChapWithEachAlgorithm(int code, String jcaName) throws LoginException {
        LoginScript s = new LoginScript(config().chap(OURS).build());

        LoginStep step = s.first();
        assertStep(step, 0, 1, false);
        assertThat(step.keys().toString()).isEqualTo("InitiatorName=" + INITIATOR + " SessionType=Normal TargetName="
                + TARGET + " AuthMethod=CHAP,None");

        step = s.respond(0, 0, false, "TargetPortalGroupTag=1", "AuthMethod=CHAP");
        assertStep(step, 0, 1, false);
        assertThat(step.keys().toString()).isEqualTo("CHAP_A=8,7,6,5");

        step = s.respond(0, 0, false, "CHAP_A=" + code, "CHAP_I=201", "CHAP_C=" + hex(CHALLENGE));
        assertStep(step, 0, 1, true);
        assertThat(step.keys().keys()).containsExactly("CHAP_N", "CHAP_R");
        assertThat(step.keys().first("CHAP_N")).contains("gw-user");
        assertThat(step.keys().first("CHAP_R")).contains(hex(chapResponse(jcaName, 201, OURS.secret(), CHALLENGE)));

        step = s.respond(0, 1, true);
        assertStep(step, 1, 3, true);
        assertThat(step.keys().first("HeaderDigest")).contains("None");

        s.finish(ACCEPT_ALL);
        assertThat(s.conversation.authMethod()).isEqualTo("CHAP");
        assertThat(s.conversation.chapAlgorithm()).hasValueSatisfying(a -> assertThat(a.code()).isEqualTo(code));
        assertThat(s.conversation.targetPortalGroupTag()).hasValue(1);
        assertThat(s.conversation.warnings()).isEmpty();
    }

    @Test
    void chapAlgorithmsAreOfferedInTheConfiguredOrder() throws LoginException {
        LoginScript s = new LoginScript(config().chap(OURS).chapAlgorithms(List.of(ChapAlgorithm.MD5, ChapAlgorithm.SHA256)).build());
        s.first();
        assertThat(s.respond(0, 0, false, "AuthMethod=CHAP").keys().first("CHAP_A")).contains("5,7");
        assertThatThrownBy(() -> s.respond(0, 0, false, "CHAP_A=8", "CHAP_I=1", "CHAP_C=" + hex(CHALLENGE)))
                .isInstanceOf(LoginException.class).hasMessage("CHAP_A: 8 (expected: one of 5,7, RFC 7143 §12.1.3)");
    }

    @Test
    void mutualChapVerifiesTheTarget() throws LoginException {
        LoginScript s = new LoginScript(config().chap(OURS).mutualChap(THEIRS).build());
        assertThat(s.first().keys().first("AuthMethod")).contains("CHAP");
        s.respond(0, 0, false, "AuthMethod=CHAP");
        LoginStep step = s.respond(0, 0, false, "CHAP_A=7", "CHAP_I=9", "CHAP_C=" + hex(CHALLENGE));
        assertStep(step, 0, 1, true);
        assertThat(step.keys().keys()).containsExactly("CHAP_N", "CHAP_R", "CHAP_I", "CHAP_C");
        int id = Integer.parseInt(step.keys().first("CHAP_I").orElseThrow());
        byte[] ourChallenge = unhex(step.keys().first("CHAP_C").orElseThrow());
        assertThat(ourChallenge).hasSizeGreaterThanOrEqualTo(32).isNotEqualTo(CHALLENGE);
        byte[] targetResponse = chapResponse("SHA-256", id, THEIRS.secret(), ourChallenge);

        // the target's response in base64, which we must accept as well as hex
        step = s.respond(0, 1, true, "CHAP_N=array-user", "CHAP_R=0b" + Base64.getEncoder().encodeToString(targetResponse));
        assertStep(step, 1, 3, true);
        s.finish(ACCEPT_ALL);
        assertThat(s.conversation.authMethod()).isEqualTo("CHAP");
    }

    @Test
    void mutualChapWithAWrongResponseFails() throws LoginException {
        LoginScript s = mutualUpToOurResponse();
        assertThatThrownBy(() -> s.respond(0, 1, true, "CHAP_N=array-user", "CHAP_R=0x" + "00".repeat(32)))
                .isInstanceOf(LoginException.class)
                .hasMessageStartingWith("CHAP_R: 0x" + "0".repeat(38) + "… (expected: SHA-256(CHAP_I ")
                .hasMessageContaining("mutual CHAP failed, the target does not know the secret, RFC 7143 §12.1.3)")
                .hasMessageNotContaining("target-secret");
    }

    @Test
    void mutualChapWithTheWrongNameFails() throws LoginException {
        LoginScript s = mutualUpToOurResponse();
        assertThatThrownBy(() -> s.respond(0, 1, true, "CHAP_N=evil", "CHAP_R=0x" + "00".repeat(32)))
                .isInstanceOf(LoginException.class)
                .hasMessage("CHAP_N: 'evil' (expected: 'array-user', the configured mutual CHAP name)");
    }

    @Test
    void mutualChapTargetLeavingSecurityWithoutItsResponseFails() throws LoginException {
        LoginScript s = mutualUpToOurResponse();
        assertThatThrownBy(() -> s.respond(0, 1, true))
                .isInstanceOf(LoginException.class)
                .hasMessage("CHAP_R: missing when the target left SecurityNegotiation (expected: the target's response "
                        + "to our CHAP_C, mutual CHAP is configured, RFC 7143 §12.1.3)");
    }

    @Test
    void mutualChapResponseMayComeInALaterPartialResponse() throws LoginException {
        LoginScript s = mutualUpToOurResponse();
        LoginStep step = s.respond(0, 0, false);                 // target keeps T=0, says nothing yet
        assertStep(step, 0, 1, true);
        assertThat(step.keys().isEmpty()).isTrue();
        assertThatThrownBy(() -> s.respond(0, 1, true, "CHAP_N=array-user"))
                .isInstanceOf(LoginException.class)
                .hasMessage("CHAP_R: missing (expected: the target's response to our challenge, RFC 7143 §12.1.3)");
    }

    @Test
    void targetChoosingNoneWhenWeRequireMutualChapFails() {
        LoginScript s = new LoginScript(config().chap(OURS).mutualChap(THEIRS).build());
        s.first();
        assertThatThrownBy(() -> s.respond(0, 0, false, "AuthMethod=None"))
                .isInstanceOf(LoginException.class)
                .hasMessage("AuthMethod: None (expected: CHAP: mutual CHAP is configured, the target must authenticate, "
                        + "RFC 7143 §12.1.3)");
    }

    @Test
    void targetChoosingNoneWithOneWayChapIsAWarning() throws LoginException {
        LoginScript s = new LoginScript(config().chap(OURS).build());
        s.first();
        LoginStep step = s.respond(0, 0, false, "AuthMethod=None", "TargetAlias=disk one", "TargetPortalGroupTag=3");
        assertStep(step, 0, 1, true);
        assertThat(step.keys().isEmpty()).isTrue();
        assertStep(s.respond(0, 1, true), 1, 3, true);
        s.finish(ACCEPT_ALL);
        assertThat(s.conversation.authMethod()).isEqualTo("None");
        assertThat(s.conversation.chapAlgorithm()).isEmpty();
        assertThat(s.conversation.targetAlias()).contains("disk one");
        assertThat(s.conversation.warnings()).containsExactly(
                "AuthMethod: None (the target does not authenticate us; CHAP user gw-user unused)");
    }

    @Test
    void authMethodNotOfferedOrMissingFails() {
        LoginScript a = new LoginScript(config().chap(OURS).build());
        a.first();
        assertThatThrownBy(() -> a.respond(0, 0, false, "AuthMethod=SRP")).isInstanceOf(LoginException.class)
                .hasMessage("AuthMethod: SRP (expected: one of CHAP,None, RFC 7143 §12.1)");
        LoginScript b = new LoginScript(config().chap(OURS).build());
        b.first();
        assertThatThrownBy(() -> b.respond(0, 0, false, "TargetPortalGroupTag=1")).isInstanceOf(LoginException.class)
                .hasMessage("AuthMethod: missing (expected: CHAP,None, RFC 7143 §12.1.3)");
        LoginScript c = new LoginScript(config().chap(OURS).build());
        c.first();
        assertThatThrownBy(() -> c.respond(0, 0, false, "AuthMethod=Reject")).isInstanceOf(LoginException.class)
                .hasMessage("AuthMethod: Reject (expected: one of CHAP,None, RFC 7143 §12.1)");
    }

    @Test
    void challengeMustBePresentAndLongEnough() throws LoginException {
        LoginScript a = upToChapA();
        assertThatThrownBy(() -> a.respond(0, 0, false, "CHAP_A=7", "CHAP_I=1"))
                .isInstanceOf(LoginException.class).hasMessage("CHAP_C: missing (expected: a challenge, RFC 7143 §12.1.3)");
        LoginScript b = upToChapA();
        assertThatThrownBy(() -> b.respond(0, 0, false, "CHAP_A=7", "CHAP_I=1", "CHAP_C=0x0102030405060708"))
                .isInstanceOf(LoginException.class)
                .hasMessage("CHAP_C: 8 bytes (expected: at least 32 bytes, the SHA-256 digest length)");
        LoginScript c = upToChapA();
        assertThatThrownBy(() -> c.respond(0, 0, false, "CHAP_A=5", "CHAP_I=300", "CHAP_C=" + hex(CHALLENGE)))
                .isInstanceOf(LoginException.class).hasMessage("CHAP_I: 300 (expected: 0..255, RFC 7143 §12.1.3)");
    }

    @Test
    void chapKeysOutOfTurnFail() throws LoginException {
        LoginScript a = new LoginScript(config().chap(OURS).build());
        a.first();
        assertThatThrownBy(() -> a.respond(0, 0, false, "AuthMethod=CHAP", "CHAP_A=5"))
                .isInstanceOf(LoginException.class)
                .hasMessage("CHAP_A: 5 (expected: only [AuthMethod] now, RFC 7143 §12.1.3)");
        LoginScript b = upToChapA();
        b.respond(0, 0, false, "CHAP_A=5", "CHAP_I=1", "CHAP_C=" + hex(CHALLENGE));
        assertThatThrownBy(() -> b.respond(0, 1, true, "CHAP_N=array-user", "CHAP_R=0x00"))
                .isInstanceOf(LoginException.class)
                .hasMessage("CHAP_R: 0x00 (expected: none: we sent no challenge, mutual CHAP is not configured, RFC 7143 §12.1.3)");
    }

    @Test
    void operationalKeysAreRefusedInSecurityNegotiation() {
        LoginScript s = new LoginScript(config().chap(OURS).build());
        s.first();
        assertThatThrownBy(() -> s.respond(0, 0, false, "AuthMethod=CHAP", "MaxBurstLength=512"))
                .isInstanceOf(LoginException.class)
                .hasMessage("MaxBurstLength: 512 in SecurityNegotiation (expected: operational keys only in "
                        + "LoginOperationalNegotiation, RFC 7143 §6.3)");
    }

    @Test
    void authenticationKeysAreRefusedInOperationalNegotiation() {
        LoginScript s = new LoginScript(config().build());
        s.first();
        assertThatThrownBy(() -> s.respond(1, 1, false, "CHAP_A=5"))
                .isInstanceOf(LoginException.class)
                .hasMessage("CHAP_A: 5 in LoginOperationalNegotiation (expected: authentication keys only in "
                        + "SecurityNegotiation after our AuthMethod offer, RFC 7143 §6.3)");
    }

    @Test
    void targetMustNotTransitUnlessWeAsked() {
        LoginScript s = new LoginScript(config().chap(OURS).build());
        s.first();
        assertThatThrownBy(() -> s.respond(0, 1, true, "AuthMethod=CHAP"))
                .isInstanceOf(LoginException.class)
                .hasMessage("T bit: 1 (expected: 0: our request had T=0 and only the initiator starts a transit, RFC 7143 §11.13)");
    }

    @Test
    void targetMustNotSkipTheStageWeAskedFor() throws LoginException {
        LoginScript s = upToChapA();
        s.respond(0, 0, false, "CHAP_A=5", "CHAP_I=1", "CHAP_C=" + hex(CHALLENGE));
        assertThatThrownBy(() -> s.respond(0, 3, true))
                .isInstanceOf(LoginException.class)
                .hasMessage("NSG: 3 (expected: 1 with T=1 after CSG 0, RFC 7143 §11.13)");
    }

    @Test
    void weakSecretsAreWarnedAbout() {
        LoginScript s = new LoginScript(config().chap(ChapCredentials.of("gw-user", "abc12")).build());
        assertThat(s.conversation.warnings()).containsExactly("chap secret of gw-user: shorter than 12 bytes "
                + "(expected: a random secret of 12..16 bytes or more; RFC 7143 §12.1.3 asks for up to 128 random bits)");
        assertThat(s.conversation.warnings().get(0)).doesNotContain("abc12");
    }

    private static LoginScript upToChapA() throws LoginException {
        LoginScript s = new LoginScript(config().chap(OURS).build());
        s.first();
        s.respond(0, 0, false, "AuthMethod=CHAP");
        return s;
    }

    private static LoginScript mutualUpToOurResponse() throws LoginException {
        LoginScript s = new LoginScript(config().chap(OURS).mutualChap(THEIRS).build());
        s.first();
        s.respond(0, 0, false, "AuthMethod=CHAP");
        s.respond(0, 0, false, "CHAP_A=7", "CHAP_I=9", "CHAP_C=" + hex(CHALLENGE));
        return s;
    }
}
