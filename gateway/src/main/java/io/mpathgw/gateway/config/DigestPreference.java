package io.mpathgw.gateway.config;

/**
 * HeaderDigest / DataDigest as iscsid.conf writes them ({@code node.conn[0].iscsi.HeaderDigest}): the values the
 * initiator offers at login, in order of preference (RFC 7143 §13.1).
 */
public enum DigestPreference {
    NONE("None"), CRC32C("CRC32C"), CRC32C_NONE("CRC32C,None"), NONE_CRC32C("None,CRC32C");

    private final String value;

    DigestPreference(String value) {
        this.value = value;
    }

    /** Whether CRC32C is offered at all. */
    public boolean offersCrc32c() {
        return this != NONE;
    }

    /** Whether the login must fail rather than go on without a digest. */
    public boolean requiresCrc32c() {
        return this == CRC32C;
    }

    static DigestPreference parse(String s) {
        for (DigestPreference d : values()) if (d.value.equals(s)) return d;
        return null;
    }

    /** The iSCSI key value, e.g. "CRC32C,None". */
    @Override
    public String toString() {
        return value;
    }
}
