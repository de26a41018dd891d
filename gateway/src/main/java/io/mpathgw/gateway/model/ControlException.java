package io.mpathgw.gateway.model;

/**
 * A refused control request, with the HTTP status the REST API answers and one line that says what was wrong
 * ("no map named 'mpathz'", "device-mapper: multipath: ... Invalid argument").
 */
public final class ControlException extends RuntimeException {

    private final int httpStatus;

    public ControlException(int httpStatus, String message) {
        super(message, null, false, false);
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public static ControlException notFound(String message) {
        return new ControlException(404, message);
    }

    public static ControlException badRequest(String message) {
        return new ControlException(400, message);
    }
}
