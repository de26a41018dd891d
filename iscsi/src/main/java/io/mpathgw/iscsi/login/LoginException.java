package io.mpathgw.iscsi.login;

import java.util.Optional;

/**
 * A login that cannot go on: the target answered outside the rules of RFC 7143 §6 and §13, authentication failed,
 * or the target rejected the login with a non-zero status. The message reads
 * {@code <field>: <value> (expected: <constraint>)}, e.g.
 * {@code MaxBurstLength: 0 (expected: 512..16777215, RFC 7143 §13.13)}; {@link #at} appends where it happened.
 * The initiator closes the connection on it (RFC 7143 §6.2: a negotiation failure ends the login).
 */
public final class LoginException extends Exception {

    private final String field;
    private final String value;
    private final String expected;
    private final LoginStatus status;

    public LoginException(String field, String value, String expected) {
        this(field, value, expected, null, null);
    }

    private LoginException(String field, String value, String expected, LoginStatus status, String where) {
        super(field + ": " + value + " (expected: " + expected + ")" + (where == null ? "" : "; " + where));
        this.field = field;
        this.value = value;
        this.expected = expected;
        this.status = status;
    }

    /** The target ended the login with this Status-Class/Status-Detail (RFC 7143 §11.13.5). */
    public static LoginException rejected(int statusClass, int statusDetail) {
        LoginStatus s = LoginStatus.of(statusClass, statusDetail);
        return new LoginException("Status-Class/Status-Detail",
                String.format("0x%02x%02x %s", statusClass & 0xff, statusDetail & 0xff, s.description()),
                "0x0000 Success, RFC 7143 §11.13.5", s, null);
    }

    /** The same failure, with where it happened appended: {@code "; login to 127.0.0.2:3260 iqn.2026-01.sim:a"}. */
    public LoginException at(String where) {
        LoginException e = new LoginException(field, value, expected, status, where);
        e.setStackTrace(getStackTrace());
        return e;
    }

    public String field() {
        return field;
    }

    public String value() {
        return value;
    }

    public String expected() {
        return expected;
    }

    /** The target's status for a rejected login; empty for a negotiation failure detected here. */
    public Optional<LoginStatus> status() {
        return Optional.ofNullable(status);
    }

    /** Whether logging in again may succeed without anyone changing the configuration. */
    public boolean retryable() {
        return status != null && status.retryable();
    }
}
