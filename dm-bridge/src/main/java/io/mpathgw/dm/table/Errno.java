package io.mpathgw.dm.table;

/** The errnos a dm ioctl on a multipath map returns, with the strerror text dmsetup prints for each. */
public enum Errno {
    ENXIO(6, "No such device or address"),
    EBUSY(16, "Device or resource busy"),
    ENODEV(19, "No such device"),
    EINVAL(22, "Invalid argument");

    private final int code;
    private final String strerror;

    Errno(int code, String strerror) {
        this.code = code;
        this.strerror = strerror;
    }

    public int code() {
        return code;
    }

    public String strerror() {
        return strerror;
    }
}
