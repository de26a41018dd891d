package io.mpathgw.iscsi.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpathgw.iscsi.text.TextKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

class NegotiationTest {

    interface Fn {
        String apply(TextKey key, String ours, String theirs) throws LoginException;
    }

    @ParameterizedTest(name = "{0} {1}: ours {2}, theirs {3}")
    @CsvFileSource(resources = "/login/negotiation.cases", delimiter = '|')
    void resultFunctionsOfRfc7143(String function, String key, String ours, String theirs, String expected) {
        TextKey k = TextKey.byName(key).orElseThrow();
        Fn fn = function.equals("answered") ? Negotiation::answered : Negotiation::respond;
        if (expected.startsWith("ERR:")) {
            assertThatThrownBy(() -> fn.apply(k, ours, theirs))
                    .isInstanceOf(LoginException.class).hasMessage(expected.substring(4));
        } else {
            try {
                assertThat(fn.apply(k, ours, theirs)).isEqualTo(expected);
            } catch (LoginException e) {
                throw new AssertionError(e.getMessage(), e);
            }
        }
    }

    @Test
    void exceptionCarriesFieldValueAndConstraint() {
        LoginException e = org.assertj.core.api.Assertions.catchThrowableOfType(
                () -> Negotiation.answered(TextKey.MAX_BURST_LENGTH, "16384", "0"), LoginException.class);
        assertThat(e.field()).isEqualTo("MaxBurstLength");
        assertThat(e.value()).isEqualTo("0");
        assertThat(e.expected()).isEqualTo("512..16777215, RFC 7143 §13.13");
        assertThat(e.status()).isEmpty();
        assertThat(e.retryable()).isFalse();
        assertThat(e.at("login to 127.0.0.2:3260 iqn.2026-01.sim:a").getMessage())
                .isEqualTo("MaxBurstLength: 0 (expected: 512..16777215, RFC 7143 §13.13); login to 127.0.0.2:3260 iqn.2026-01.sim:a");
    }

    @Test
    void offersThatDecideABooleanByThemselves() {
        assertThat(Negotiation.decidedByOffer(TextKey.IMMEDIATE_DATA, "No")).isTrue();
        assertThat(Negotiation.decidedByOffer(TextKey.IMMEDIATE_DATA, "Yes")).isFalse();
        assertThat(Negotiation.decidedByOffer(TextKey.INITIAL_R2T, "Yes")).isTrue();
        assertThat(Negotiation.decidedByOffer(TextKey.INITIAL_R2T, "No")).isFalse();
        assertThat(Negotiation.decidedByOffer(TextKey.MAX_BURST_LENGTH, "512")).isFalse();
    }

    @Test
    void declarativeKeysHaveNoResultFunction() {
        assertThatThrownBy(() -> Negotiation.answered(TextKey.TARGET_ALIAS, "a", "b"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
