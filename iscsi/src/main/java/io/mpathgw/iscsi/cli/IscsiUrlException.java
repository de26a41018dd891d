package io.mpathgw.iscsi.cli;

/**
 * An iSCSI URL that does not parse. The message names the part, its value and what was expected, then the URL
 * with its passwords hidden: {@code port: '32a0' (expected: 1..65535); URL iscsi://host:32a0/iqn…/1}.
 */
public final class IscsiUrlException extends IllegalArgumentException {

    private final String part;

    IscsiUrlException(String part, String value, String expected, String url) {
        super(part + ": " + value + " (expected: " + expected + "); URL " + url);
        this.part = part;
    }

    /** The part that is wrong: {@code scheme}, {@code user}, {@code host}, {@code port}, {@code target}, {@code lun}… */
    public String part() {
        return part;
    }
}
