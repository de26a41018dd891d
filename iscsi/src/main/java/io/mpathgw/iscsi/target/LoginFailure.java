package io.mpathgw.iscsi.target;

import io.mpathgw.iscsi.login.LoginStatus;

/** A login the target ends with a non-zero status (RFC 7143 §11.13.5); the message says why, for the log. */
final class LoginFailure extends Exception {

    private final LoginStatus status;

    LoginFailure(LoginStatus status, String message) {
        super(status + ": " + message);
        this.status = status;
    }

    LoginStatus status() {
        return status;
    }
}
