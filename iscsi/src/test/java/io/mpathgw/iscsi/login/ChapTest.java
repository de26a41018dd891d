package io.mpathgw.iscsi.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class ChapTest {

    private static final byte[] SECRET = "test-secret-123".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHALLENGE = new byte[32];

    static {
        for (int i = 0; i < 32; i++) CHALLENGE[i] = (byte) i;
    }

    /** Expected digests computed outside Java (Python hashlib) over 0x2a || secret || 00..1f. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "MD5,      5, f08205b053f09d84614000e3cba11894",
            "SHA1,     6, f9fdf539f719ec1f295de4f3b7b4f3dd160c22e4",
            "SHA256,   7, 9d2eee64cbe46b873d9139746f5f03b6355a35f3c3b66466d794783479cad3a9",
            "SHA3_256, 8, 5d128b571f7ba8bd376c5bee5024cd8fa2d4e12d8538489cb8f9f3f1e212bbc4"})
    void responseIsTheHashOfIdentifierSecretAndChallenge(ChapAlgorithm alg, int code, String expectedHex) {
        assertThat(alg.code()).isEqualTo(code);
        byte[] r = Chap.response(alg, 42, SECRET, CHALLENGE);
        assertThat(HexFormat.of().formatHex(r)).isEqualTo(expectedHex);
        assertThat(r).hasSize(alg.digestLength());
        assertThat(Chap.verify(alg, 42, SECRET, CHALLENGE, r)).isTrue();
        assertThat(Chap.verify(alg, 43, SECRET, CHALLENGE, r)).isFalse();
        assertThat(ChapAlgorithm.byCode(code)).contains(alg);
    }

    @Test
    void algorithmNumbersAndOfferOrder() {
        assertThat(ChapAlgorithm.byCode(128)).isEmpty();
        assertThat(Chap.offer(ChapAlgorithm.DEFAULT_PREFERENCE)).isEqualTo("8,7,6,5");
        assertThat(Chap.offer(List.of(ChapAlgorithm.MD5))).isEqualTo("5");
    }

    @Test
    void chosenAlgorithmMustBeOneWeOffered() throws LoginException {
        List<ChapAlgorithm> offered = List.of(ChapAlgorithm.SHA256, ChapAlgorithm.MD5);
        assertThat(Chap.chosen("7", offered)).isEqualTo(ChapAlgorithm.SHA256);
        assertThat(Chap.chosen("0x5", offered)).isEqualTo(ChapAlgorithm.MD5);
        assertThatThrownBy(() -> Chap.chosen("8", offered)).isInstanceOf(LoginException.class)
                .hasMessage("CHAP_A: 8 (expected: one of 7,5, RFC 7143 §12.1.3)");
        assertThatThrownBy(() -> Chap.chosen("Reject", offered)).isInstanceOf(LoginException.class)
                .hasMessage("CHAP_A: Reject (expected: one of 7,5, RFC 7143 §12.1.3)");
        assertThatThrownBy(() -> Chap.chosen("7,5", offered)).isInstanceOf(LoginException.class);
    }

    @Test
    void identifierIsOneByte() throws LoginException {
        assertThat(Chap.identifier("0")).isZero();
        assertThat(Chap.identifier("255")).isEqualTo(255);
        assertThat(Chap.identifier("0xff")).isEqualTo(255);
        assertThatThrownBy(() -> Chap.identifier("256")).isInstanceOf(LoginException.class)
                .hasMessage("CHAP_I: 256 (expected: 0..255, RFC 7143 §12.1.3)");
        assertThatThrownBy(() -> Chap.identifier("x")).isInstanceOf(LoginException.class)
                .hasMessage("CHAP_I: 'x' (expected: a number 0..255, RFC 7143 §12.1.3)");
    }

    @Test
    void binaryValuesInHexOrBase64UpTo1024Bytes() throws LoginException {
        assertThat(Chap.binary("CHAP_C", "0x000102")).containsExactly(0, 1, 2);
        assertThat(Chap.binary("CHAP_C", "0X0A0b")).containsExactly(10, 11);
        assertThat(Chap.binary("CHAP_R", "0bAAECAwQFBgcICQoLDA0ODxAREhM=")).hasSize(20);
        assertThat(Chap.binary("CHAP_C", "0x" + "ab".repeat(1024))).hasSize(1024);
        assertThatThrownBy(() -> Chap.binary("CHAP_C", "0x" + "ab".repeat(1025))).isInstanceOf(LoginException.class)
                .hasMessage("CHAP_C: 1025 bytes (expected: 1..1024, RFC 7143 §12.1.3)");
        assertThatThrownBy(() -> Chap.binary("CHAP_R", "1234")).isInstanceOf(LoginException.class)
                .hasMessage("CHAP_R: '1234' (expected: a hex (0x...) or base64 (0b...) constant, RFC 7143 §6.1)");
        assertThatThrownBy(() -> Chap.binary("CHAP_R", "0bA")).isInstanceOf(LoginException.class);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ChapAlgorithm.class)
    void challengesAtLeastAsLongAsTheDigest(ChapAlgorithm alg) throws LoginException {
        Chap.checkChallenge(alg, new byte[alg.digestLength()]);
        assertThatThrownBy(() -> Chap.checkChallenge(alg, new byte[alg.digestLength() - 1]))
                .isInstanceOf(LoginException.class)
                .hasMessage("CHAP_C: " + (alg.digestLength() - 1) + " bytes (expected: at least " + alg.digestLength()
                        + " bytes, the " + alg.jcaName() + " digest length)");
        byte[] c = Chap.newChallenge(alg, new SecureRandom(), CHALLENGE);
        assertThat(c).hasSize(Math.max(16, alg.digestLength())).isNotEqualTo(CHALLENGE);
        Chap.checkChallenge(alg, c);
    }

    @Test
    void aReflectedChallengeIsRefused() throws LoginException {
        Chap.checkNotReflected(new byte[]{1, 2, 3}, new byte[]{1, 2, 4});
        assertThatThrownBy(() -> Chap.checkNotReflected(CHALLENGE.clone(), CHALLENGE))
                .isInstanceOf(LoginException.class)
                .hasMessage("CHAP_C: 0x000102030405060708090a0b0c0d0e0f101112… "
                        + "(expected: a challenge other than the one we sent (reflection), RFC 7143 §12.1.3)");
    }

    @Test
    void credentialsNeverShowTheSecret() {
        ChapCredentials c = ChapCredentials.of("alice", "s3cr3t-very-long");
        assertThat(c.toString()).doesNotContain("s3cr3t").contains("alice");
        assertThat(c.weak()).isFalse();
        assertThat(ChapCredentials.of("bob", "short").weak()).isTrue();
        assertThat(c).isEqualTo(ChapCredentials.of("alice", "s3cr3t-very-long")).isNotEqualTo(ChapCredentials.of("alice", "x"));
        byte[] s = c.secret();
        s[0] = 'X';
        assertThat(c.secret()[0]).isEqualTo((byte) 's');
        assertThatThrownBy(() -> ChapCredentials.of("alice", "")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("CHAP secret of alice: empty (expected: at least 1 byte, RFC 1994 §2.2)");
        assertThatThrownBy(() -> ChapCredentials.of("", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChapCredentials.of("u".repeat(256), "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("(expected: 1..255 bytes, the CHAP_N value, RFC 7143 §6.1)");
    }
}
