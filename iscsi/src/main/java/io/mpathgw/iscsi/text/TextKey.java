package io.mpathgw.iscsi.text;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The login and text keys of RFC 7143 §12 and §13 as one table: who may send each key, when, how its value is
 * negotiated, its range and its default. Negotiation code reads this table instead of having one function per key.
 *
 * <p>Columns, spelled as the RFC's key declarations:
 * <ul>
 *   <li>{@link Use}: LO (leading connection only), IO (first login of a connection), FFPO (full feature phase
 *       only), ALL, or SECURITY (security negotiation stage only, §12).</li>
 *   <li>{@link Senders}: initiator, target or both.</li>
 *   <li>{@link Kind}: the result function of §6.2 (list, boolean AND/OR, numerical minimum/maximum), declarative,
 *       an authentication exchange key, or obsolete.</li>
 *   <li>range {@code min..max} of numerical values, {@code defaultValue} (null where the RFC gives none), and
 *       whether the key is irrelevant in a discovery session.</li>
 * </ul>
 * Keys that are not in the table are answered with {@code NotUnderstood}; private ({@code X-}) and public
 * ({@code X#}) extension keys (§13.22) are not in the table and are passed through to the caller.
 */
public enum TextKey {
    // wire name, use, senders, scope, kind, min, max, default, section, irrelevant in discovery
    HEADER_DIGEST("HeaderDigest", Use.IO, Senders.BOTH, Scope.CO, Kind.LIST, 0, 0, "None", "13.1", false),
    DATA_DIGEST("DataDigest", Use.IO, Senders.BOTH, Scope.CO, Kind.LIST, 0, 0, "None", "13.1", false),
    MAX_CONNECTIONS("MaxConnections", Use.LO, Senders.BOTH, Scope.SW, Kind.MIN, 1, 65535, "1", "13.2", true),
    SEND_TARGETS("SendTargets", Use.FFPO, Senders.INITIATOR, Scope.SW, Kind.DECLARATIVE, 0, 0, null, "13.3", false),
    /** IO when sent by the initiator; a target sends it only in a SendTargets answer. */
    TARGET_NAME("TargetName", Use.IO, Senders.BOTH, Scope.SW, Kind.DECLARATIVE, 0, 0, null, "13.4", false),
    INITIATOR_NAME("InitiatorName", Use.IO, Senders.INITIATOR, Scope.SW, Kind.DECLARATIVE, 0, 0, null, "13.5", false),
    TARGET_ALIAS("TargetAlias", Use.ALL, Senders.TARGET, Scope.SW, Kind.DECLARATIVE, 0, 0, null, "13.6", false),
    INITIATOR_ALIAS("InitiatorAlias", Use.ALL, Senders.INITIATOR, Scope.SW, Kind.DECLARATIVE, 0, 0, null, "13.7", false),
    TARGET_ADDRESS("TargetAddress", Use.ALL, Senders.TARGET, Scope.SW, Kind.DECLARATIVE, 0, 0, null, "13.8", false),
    /** A 16-bit binary value; the target declares it in its first Login Response (§13.9). */
    TARGET_PORTAL_GROUP_TAG("TargetPortalGroupTag", Use.IO, Senders.TARGET, Scope.SW, Kind.DECLARATIVE,
            0, 65535, null, "13.9", false),
    INITIAL_R2T("InitialR2T", Use.LO, Senders.BOTH, Scope.SW, Kind.OR, 0, 0, "Yes", "13.10", true),
    IMMEDIATE_DATA("ImmediateData", Use.LO, Senders.BOTH, Scope.SW, Kind.AND, 0, 0, "Yes", "13.11", true),
    /** Declarative: each side states what it can receive; the peer never sends longer data segments. */
    MAX_RECV_DATA_SEGMENT_LENGTH("MaxRecvDataSegmentLength", Use.ALL, Senders.BOTH, Scope.CO, Kind.DECLARATIVE,
            512, 16777215, "8192", "13.12", false),
    MAX_BURST_LENGTH("MaxBurstLength", Use.LO, Senders.BOTH, Scope.SW, Kind.MIN, 512, 16777215, "262144", "13.13", true),
    /** Also irrelevant when InitialR2T=Yes and ImmediateData=No; must not exceed MaxBurstLength. */
    FIRST_BURST_LENGTH("FirstBurstLength", Use.LO, Senders.BOTH, Scope.SW, Kind.MIN, 512, 16777215, "65536", "13.14", true),
    DEFAULT_TIME2WAIT("DefaultTime2Wait", Use.LO, Senders.BOTH, Scope.SW, Kind.MAX, 0, 3600, "2", "13.15", false),
    DEFAULT_TIME2RETAIN("DefaultTime2Retain", Use.LO, Senders.BOTH, Scope.SW, Kind.MIN, 0, 3600, "20", "13.16", false),
    MAX_OUTSTANDING_R2T("MaxOutstandingR2T", Use.LO, Senders.BOTH, Scope.SW, Kind.MIN, 1, 65535, "1", "13.17", true),
    DATA_PDU_IN_ORDER("DataPDUInOrder", Use.LO, Senders.BOTH, Scope.SW, Kind.OR, 0, 0, "Yes", "13.18", true),
    DATA_SEQUENCE_IN_ORDER("DataSequenceInOrder", Use.LO, Senders.BOTH, Scope.SW, Kind.OR, 0, 0, "Yes", "13.19", true),
    ERROR_RECOVERY_LEVEL("ErrorRecoveryLevel", Use.LO, Senders.BOTH, Scope.SW, Kind.MIN, 0, 2, "0", "13.20", false),
    /** Discovery or Normal. */
    SESSION_TYPE("SessionType", Use.LO, Senders.INITIATOR, Scope.SW, Kind.DECLARATIVE, 0, 0, "Normal", "13.21", false),
    /** RFC3720, ResponseFence or FastAbort. */
    TASK_REPORTING("TaskReporting", Use.LO, Senders.BOTH, Scope.SW, Kind.LIST, 0, 0, "RFC3720", "13.23", true),
    /** 1 is RFC 7143, 2 adds the RFC 7144 SCSI features. The only standard key that starts in lower case. */
    ISCSI_PROTOCOL_LEVEL("iSCSIProtocolLevel", Use.LO, Senders.BOTH, Scope.SW, Kind.MIN, 0, 31, "1", "13.24", true),
    /** §13.25: obsolete; a responder answers Reject (or No), never NotUnderstood. */
    IF_MARKER("IFMarker", Use.IO, Senders.BOTH, Scope.CO, Kind.OBSOLETE, 0, 0, null, "13.25", false),
    OF_MARKER("OFMarker", Use.IO, Senders.BOTH, Scope.CO, Kind.OBSOLETE, 0, 0, null, "13.25", false),
    /** §13.25: obsolete; a responder must answer Reject. */
    OF_MARK_INT("OFMarkInt", Use.IO, Senders.BOTH, Scope.CO, Kind.OBSOLETE, 0, 0, null, "13.25", false),
    IF_MARK_INT("IFMarkInt", Use.IO, Senders.BOTH, Scope.CO, Kind.OBSOLETE, 0, 0, null, "13.25", false),
    /** The public extension key of RFC 4850, kept in RFC 7143. */
    NODE_ARCHITECTURE("X#NodeArchitecture", Use.LO, Senders.BOTH, Scope.SW, Kind.DECLARATIVE, 0, 0, null, "13.26", false),
    /** iSER (RFC 7145); we run over TCP only and always end up with No. */
    RDMA_EXTENSIONS("RDMAExtensions", Use.LO, Senders.BOTH, Scope.SW, Kind.AND, 0, 0, "No", "RFC 7145", true),

    /** CHAP, None, or another method of §12.1; no default is declared. */
    AUTH_METHOD("AuthMethod", Use.SECURITY, Senders.BOTH, Scope.CO, Kind.LIST, 0, 0, null, "12.1", false),
    /** CHAP algorithms, numbered by IANA's PPP Authentication Algorithms registry (5 = MD5). */
    CHAP_A("CHAP_A", Use.SECURITY, Senders.BOTH, Scope.CO, Kind.AUTH, 0, 0, null, "12.1.3", false),
    CHAP_I("CHAP_I", Use.SECURITY, Senders.BOTH, Scope.CO, Kind.AUTH, 0, 255, null, "12.1.3", false),
    /** A large-binary-value: up to 1024 bytes before encoding. */
    CHAP_C("CHAP_C", Use.SECURITY, Senders.BOTH, Scope.CO, Kind.AUTH, 0, 0, null, "12.1.3", false),
    CHAP_N("CHAP_N", Use.SECURITY, Senders.BOTH, Scope.CO, Kind.AUTH, 0, 0, null, "12.1.3", false),
    /** A large-binary-value: up to 1024 bytes before encoding. */
    CHAP_R("CHAP_R", Use.SECURITY, Senders.BOTH, Scope.CO, Kind.AUTH, 0, 0, null, "12.1.3", false);

    /** When a key may be sent (the RFC's "Use:" line). */
    public enum Use { LO, IO, FFPO, ALL, SECURITY }

    public enum Senders { INITIATOR, TARGET, BOTH }

    /** Session-wide or connection-only (the RFC's "Scope:" line). */
    public enum Scope { SW, CO }

    /** The result function of RFC 7143 §6.2, or how else the key's value comes about. */
    public enum Kind {
        /** The responder answers the first value of the originator's list it supports. */
        LIST,
        /** Boolean, result is AND: an offered No decides the result by itself. */
        AND,
        /** Boolean, result is OR: an offered Yes decides the result by itself. */
        OR,
        /** Numerical, result is the minimum of both values. */
        MIN,
        /** Numerical, result is the maximum of both values. */
        MAX,
        /** Each side states its own value; nothing is answered. */
        DECLARATIVE,
        /** One step of an authentication exchange (§12), not a negotiation. */
        AUTH,
        /** Removed by RFC 7143 §13.25. */
        OBSOLETE
    }

    /** RFC 7143 §6.1: "If not otherwise specified, the maximum length of a simple-value ... is 255 bytes". */
    public static final int MAX_SIMPLE_VALUE_LENGTH = 255;

    private static final Map<String, TextKey> BY_NAME;

    static {
        Map<String, TextKey> m = new HashMap<>();
        for (TextKey k : values())
            if (m.put(k.wireName, k) != null)
                throw new IllegalStateException("duplicate text key: " + k.wireName);
        BY_NAME = Collections.unmodifiableMap(m);
    }

    private final String wireName;
    private final Use use;
    private final Senders senders;
    private final Scope scope;
    private final Kind kind;
    private final long min;
    private final long max;
    private final String defaultValue;
    private final String section;
    private final boolean irrelevantInDiscovery;

    TextKey(String wireName, Use use, Senders senders, Scope scope, Kind kind, long min, long max,
            String defaultValue, String section, boolean irrelevantInDiscovery) {
        this.wireName = wireName;
        this.use = use;
        this.senders = senders;
        this.scope = scope;
        this.kind = kind;
        this.min = min;
        this.max = max;
        this.defaultValue = defaultValue;
        this.section = section;
        this.irrelevantInDiscovery = irrelevantInDiscovery;
    }

    /** The key by its name on the wire (case-sensitive, RFC 7143 §6.1); empty for unknown and extension keys. */
    public static Optional<TextKey> byName(String wireName) {
        return Optional.ofNullable(BY_NAME.get(wireName));
    }

    /** Private ({@code X-}) or public ({@code X#}) extension key, RFC 7143 §13.22 and §13.26. */
    public static boolean isExtension(String key) {
        return key.startsWith("X-") || key.startsWith("X#");
    }

    public String wireName() {
        return wireName;
    }

    public Use use() {
        return use;
    }

    public Senders senders() {
        return senders;
    }

    public Scope scope() {
        return scope;
    }

    public Kind kind() {
        return kind;
    }

    /** Numerical: the kind is MIN or MAX, or a declarative key with a range. */
    public boolean numerical() {
        return max > 0;
    }

    public boolean bool() {
        return kind == Kind.AND || kind == Kind.OR;
    }

    /** Negotiated by a result function (list, boolean or numerical), so a response answers it. */
    public boolean negotiated() {
        return kind == Kind.LIST || bool() || kind == Kind.MIN || kind == Kind.MAX;
    }

    public long min() {
        return min;
    }

    public long max() {
        return max;
    }

    /** The RFC's default, or null where it declares none. */
    public String defaultValue() {
        return defaultValue;
    }

    public boolean irrelevantInDiscovery() {
        return irrelevantInDiscovery;
    }

    /** Where the key is declared, e.g. "RFC 7143 §13.13". */
    public String rfc() {
        return section.startsWith("RFC") ? section : "RFC 7143 §" + section;
    }

    /** Longest value accepted for this key, in bytes: CHAP_C and CHAP_R are large-binary-values. */
    public int maxValueLength() {
        return this == CHAP_C || this == CHAP_R ? TextParameters.MAX_VALUE_LENGTH : MAX_SIMPLE_VALUE_LENGTH;
    }

    /** The range as the error messages print it, e.g. "512..16777215". */
    public String range() {
        return min + ".." + max;
    }

    @Override
    public String toString() {
        return wireName;
    }
}
