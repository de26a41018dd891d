package io.mpathgw.iscsi.login;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LoginStatusTest {

    @ParameterizedTest(name = "0x{0}{1} {2}")
    @CsvSource({
            "00, 00, SUCCESS, SUCCESS, false",
            "01, 01, TARGET_MOVED_TEMPORARILY, REDIRECTION, true",
            "01, 02, TARGET_MOVED_PERMANENTLY, REDIRECTION, true",
            "02, 00, INITIATOR_ERROR, INITIATOR_ERROR, false",
            "02, 01, AUTHENTICATION_FAILURE, INITIATOR_ERROR, false",
            "02, 02, AUTHORIZATION_FAILURE, INITIATOR_ERROR, false",
            "02, 03, NOT_FOUND, INITIATOR_ERROR, false",
            "02, 04, TARGET_REMOVED, INITIATOR_ERROR, false",
            "02, 05, UNSUPPORTED_VERSION, INITIATOR_ERROR, false",
            "02, 06, TOO_MANY_CONNECTIONS, INITIATOR_ERROR, true",
            "02, 07, MISSING_PARAMETER, INITIATOR_ERROR, false",
            "02, 08, CANT_INCLUDE_IN_SESSION, INITIATOR_ERROR, false",
            "02, 09, SESSION_TYPE_NOT_SUPPORTED, INITIATOR_ERROR, false",
            "02, 0a, SESSION_DOES_NOT_EXIST, INITIATOR_ERROR, true",
            "02, 0b, INVALID_DURING_LOGIN, INITIATOR_ERROR, false",
            "03, 00, TARGET_ERROR, TARGET_ERROR, true",
            "03, 01, SERVICE_UNAVAILABLE, TARGET_ERROR, true",
            "03, 02, OUT_OF_RESOURCES, TARGET_ERROR, true"})
    void theTableOfRfc7143(String cls, String detail, LoginStatus expected, LoginStatus.StatusClass statusClass,
                           boolean retryable) {
        int c = Integer.parseInt(cls, 16), d = Integer.parseInt(detail, 16);
        assertThat(LoginStatus.find(c, d)).contains(expected);
        assertThat(LoginStatus.of(c, d)).isEqualTo(expected);
        assertThat(expected.code()).isEqualTo(c << 8 | d);
        assertThat(expected.statusClassValue()).isEqualTo(c);
        assertThat(expected.statusDetail()).isEqualTo(d);
        assertThat(expected.statusClass()).isEqualTo(statusClass);
        assertThat(expected.retryable()).isEqualTo(retryable);
    }

    @Test
    void unknownDetailsFallBackToTheirClass() {
        assertThat(LoginStatus.find(2, 0x42)).isEmpty();
        assertThat(LoginStatus.of(1, 0x09)).isEqualTo(LoginStatus.TARGET_MOVED_TEMPORARILY);
        assertThat(LoginStatus.of(2, 0x42)).isEqualTo(LoginStatus.INITIATOR_ERROR);
        assertThat(LoginStatus.of(3, 0x42)).isEqualTo(LoginStatus.TARGET_ERROR);
        assertThat(LoginStatus.of(7, 0)).isEqualTo(LoginStatus.TARGET_ERROR);
        assertThat(LoginStatus.AUTHENTICATION_FAILURE.toString()).isEqualTo("0x0201 Authentication failure");
    }

    @Test
    void rejectedLoginNamesTheStatus() {
        LoginException e = LoginException.rejected(2, 1);
        assertThat(e).hasMessage("Status-Class/Status-Detail: 0x0201 Authentication failure "
                + "(expected: 0x0000 Success, RFC 7143 §11.13.5)");
        assertThat(e.status()).contains(LoginStatus.AUTHENTICATION_FAILURE);
        assertThat(e.retryable()).isFalse();
        assertThat(LoginException.rejected(3, 1).retryable()).isTrue();
        assertThat(LoginException.rejected(2, 0x42).getMessage()).startsWith("Status-Class/Status-Detail: 0x0242 Initiator error");
    }
}
