package io.mpathgw.iscsi.login;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Status-Class and Status-Detail of a Login Response (RFC 7143 §11.13.5), with whether trying again makes sense:
 * a redirect is followed at once, a target error is retried with back-off, an initiator error needs an
 * administrator (wrong name, wrong secret, missing access) and is not retried automatically.
 */
public enum LoginStatus {
    SUCCESS(0x0000, "Success", false),
    /** Log in again at the TargetAddress of the response. */
    TARGET_MOVED_TEMPORARILY(0x0101, "Target moved temporarily", true),
    /** Log in at the TargetAddress of the response, and use it from now on. */
    TARGET_MOVED_PERMANENTLY(0x0102, "Target moved permanently", true),
    INITIATOR_ERROR(0x0200, "Initiator error", false),
    AUTHENTICATION_FAILURE(0x0201, "Authentication failure", false),
    AUTHORIZATION_FAILURE(0x0202, "Authorization failure", false),
    NOT_FOUND(0x0203, "Not found", false),
    TARGET_REMOVED(0x0204, "Target removed", false),
    UNSUPPORTED_VERSION(0x0205, "Unsupported version", false),
    /** Retry once one of the session's connections is gone. */
    TOO_MANY_CONNECTIONS(0x0206, "Too many connections", true),
    MISSING_PARAMETER(0x0207, "Missing parameter", false),
    CANT_INCLUDE_IN_SESSION(0x0208, "Can't include in session", false),
    SESSION_TYPE_NOT_SUPPORTED(0x0209, "Session type not supported", false),
    /** The TSIH named no session: log in again as a new session (TSIH 0). */
    SESSION_DOES_NOT_EXIST(0x020a, "Session does not exist", true),
    INVALID_DURING_LOGIN(0x020b, "Invalid during login", false),
    TARGET_ERROR(0x0300, "Target error", true),
    SERVICE_UNAVAILABLE(0x0301, "Service unavailable", true),
    OUT_OF_RESOURCES(0x0302, "Out of resources", true);

    /** The four status classes of RFC 7143 §11.13.5. */
    public enum StatusClass { SUCCESS, REDIRECTION, INITIATOR_ERROR, TARGET_ERROR }

    private static final Map<Integer, LoginStatus> BY_CODE = new HashMap<>();

    static {
        for (LoginStatus s : values()) BY_CODE.put(s.code, s);
    }

    private final int code;
    private final String description;
    private final boolean retryable;

    LoginStatus(int code, String description, boolean retryable) {
        this.code = code;
        this.description = description;
        this.retryable = retryable;
    }

    /** The exact entry of the table, if any. */
    public static Optional<LoginStatus> find(int statusClass, int statusDetail) {
        return Optional.ofNullable(BY_CODE.get((statusClass & 0xff) << 8 | (statusDetail & 0xff)));
    }

    /**
     * The entry of the table, or for a detail the table lacks the general entry of its class: an unknown
     * redirection is a temporary move, an unknown class-2 detail an initiator error, anything else a target error.
     */
    public static LoginStatus of(int statusClass, int statusDetail) {
        return find(statusClass, statusDetail).orElseGet(() -> switch (statusClass) {
            case 1 -> TARGET_MOVED_TEMPORARILY;
            case 2 -> INITIATOR_ERROR;
            default -> TARGET_ERROR;
        });
    }

    /** Status-Class in the high byte, Status-Detail in the low byte: 0x0201. */
    public int code() {
        return code;
    }

    public int statusClassValue() {
        return code >> 8;
    }

    public int statusDetail() {
        return code & 0xff;
    }

    public StatusClass statusClass() {
        return StatusClass.values()[code >> 8];
    }

    /** The RFC's words for the status. */
    public String description() {
        return description;
    }

    /** Whether logging in again (at the redirected address, or later) may succeed without a config change. */
    public boolean retryable() {
        return retryable;
    }

    @Override
    public String toString() {
        return String.format("0x%04x %s", code, description);
    }
}
