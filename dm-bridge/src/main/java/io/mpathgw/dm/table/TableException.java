package io.mpathgw.dm.table;

/**
 * A table line the kernel would refuse. {@link #getMessage()} is the kernel's ti->error string, byte for byte
 * (spec §1.7); {@link #detail()} adds where and why in mpathgw's own words, for humans.
 */
public final class TableException extends Exception {

    private final String detail;

    public TableException(String kernelError, String detail) {
        super(kernelError);
        this.detail = detail;
    }

    public static TableException kernel(String kernelError) {
        return new TableException(kernelError, "");
    }

    /** E.g. "token 3: '2000' (expected: 0..1024)"; empty when the kernel string says it all. */
    public String detail() {
        return detail;
    }
}
