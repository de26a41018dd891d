package io.mpathgw.iscsi.initiator;

/** Task management functions (RFC 7143 §11.5.1) and responses (§11.6.1) we use, with their names for logs. */
public enum TaskManagement {
    ABORT_TASK(1), ABORT_TASK_SET(2), CLEAR_ACA(3), CLEAR_TASK_SET(4), LOGICAL_UNIT_RESET(5),
    TARGET_WARM_RESET(6), TARGET_COLD_RESET(7);

    public final int function;

    TaskManagement(int function) {
        this.function = function;
    }

    public static final int FUNCTION_COMPLETE = 0;
    public static final int TASK_DOES_NOT_EXIST = 1;
    public static final int LUN_DOES_NOT_EXIST = 2;
    public static final int TASK_STILL_ALLEGIANT = 3;
    public static final int REASSIGNMENT_NOT_SUPPORTED = 4;
    public static final int FUNCTION_NOT_SUPPORTED = 5;
    public static final int AUTHORIZATION_FAILED = 6;
    public static final int FUNCTION_REJECTED = 255;

    public static String responseName(int response) {
        return switch (response) {
            case FUNCTION_COMPLETE -> "Function complete";
            case TASK_DOES_NOT_EXIST -> "Task does not exist";
            case LUN_DOES_NOT_EXIST -> "LUN does not exist";
            case TASK_STILL_ALLEGIANT -> "Task still allegiant";
            case REASSIGNMENT_NOT_SUPPORTED -> "Task allegiance reassignment not supported";
            case FUNCTION_NOT_SUPPORTED -> "Task management function not supported";
            case AUTHORIZATION_FAILED -> "Function authorization failed";
            case FUNCTION_REJECTED -> "Function rejected";
            default -> "response " + response;
        };
    }
}
