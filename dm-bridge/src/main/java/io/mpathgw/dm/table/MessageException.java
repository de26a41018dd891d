package io.mpathgw.dm.table;

/**
 * A target message the kernel refuses (spec §3): the errno the ioctl returns and the kernel log line printed for it,
 * if any (several refusals are silent: device not in the map, map suspended).
 */
public final class MessageException extends Exception {

    private final Errno errno;
    private final String kernelLine;

    /** @param kernelLine the whole dmesg line ("device-mapper: multipath: …"), or null when the kernel is silent */
    public MessageException(Errno errno, String kernelLine) {
        super(kernelLine != null ? kernelLine : errno.strerror());
        this.errno = errno;
        this.kernelLine = kernelLine;
    }

    public Errno errno() {
        return errno;
    }

    /** The kernel's log line, or null. */
    public String kernelLine() {
        return kernelLine;
    }
}
