package io.mpathgw.iscsi.login;

import static io.mpathgw.iscsi.text.TextKey.*;

import io.mpathgw.iscsi.text.TextKey;
import io.mpathgw.iscsi.text.TextParameters;
import io.mpathgw.iscsi.text.TextValues;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The initiator's LoginOperationalNegotiation stage: our offer of every operational key in one request, the
 * target's answers checked against it, the target's own offers answered (RFC 7143 §6.2, §13), and the agreed
 * {@link NegotiatedParameters} at the end.
 */
final class OperationalNegotiation {

    /** Offered in this order; keys irrelevant to the session are left out. */
    private static final List<TextKey> OFFER_ORDER = List.of(HEADER_DIGEST, DATA_DIGEST, MAX_CONNECTIONS, INITIAL_R2T,
            IMMEDIATE_DATA, MAX_BURST_LENGTH, FIRST_BURST_LENGTH, DEFAULT_TIME2WAIT, DEFAULT_TIME2RETAIN,
            MAX_OUTSTANDING_R2T, DATA_PDU_IN_ORDER, DATA_SEQUENCE_IN_ORDER, ERROR_RECOVERY_LEVEL);

    private final LoginConfig cfg;
    private final Consumer<String> warnings;
    /** What we accept for every negotiated key, offered or not: answers to the target's offers come from here. */
    private final Map<TextKey, String> acceptable = new EnumMap<>(TextKey.class);
    private final Map<TextKey, String> offered = new LinkedHashMap<>();
    private final Map<TextKey, String> agreed = new EnumMap<>(TextKey.class);
    private int targetMaxRecvDataSegmentLength = Integer.parseInt(MAX_RECV_DATA_SEGMENT_LENGTH.defaultValue());

    OperationalNegotiation(LoginConfig cfg, Consumer<String> warnings) {
        this.cfg = cfg;
        this.warnings = warnings;
        acceptable.put(HEADER_DIGEST, cfg.headerDigest() ? "CRC32C,None" : "None");
        acceptable.put(DATA_DIGEST, cfg.dataDigest() ? "CRC32C,None" : "None");
        acceptable.put(MAX_CONNECTIONS, "1");
        acceptable.put(INITIAL_R2T, TextValues.bool(cfg.initialR2T()));
        acceptable.put(IMMEDIATE_DATA, TextValues.bool(cfg.immediateData()));
        acceptable.put(MAX_BURST_LENGTH, Integer.toString(cfg.maxBurstLength()));
        acceptable.put(FIRST_BURST_LENGTH, Integer.toString(cfg.firstBurstLength()));
        acceptable.put(DEFAULT_TIME2WAIT, Integer.toString(cfg.defaultTime2Wait()));
        acceptable.put(DEFAULT_TIME2RETAIN, Integer.toString(cfg.defaultTime2Retain()));
        acceptable.put(MAX_OUTSTANDING_R2T, Integer.toString(cfg.maxOutstandingR2T()));
        acceptable.put(DATA_PDU_IN_ORDER, TextValues.YES);        // we never reorder Data-Out
        acceptable.put(DATA_SEQUENCE_IN_ORDER, TextValues.YES);
        acceptable.put(ERROR_RECOVERY_LEVEL, "0");                // ERL 0 only: session recovery
        acceptable.put(TASK_REPORTING, "RFC3720");
        acceptable.put(ISCSI_PROTOCOL_LEVEL, "1");
        acceptable.put(RDMA_EXTENSIONS, TextValues.NO);           // TCP only
        for (TextKey k : OFFER_ORDER)
            if (!irrelevant(k)) offered.put(k, acceptable.get(k));
    }

    /** The first operational request: our declaration, every relevant key, and the configured extension keys. */
    TextParameters offer() {
        TextParameters p = new TextParameters();
        offered.forEach(p::add);
        p.add(MAX_RECV_DATA_SEGMENT_LENGTH, Integer.toString(cfg.maxRecvDataSegmentLength()));
        return p.addAll(cfg.extensionKeys());
    }

    /**
     * A negotiated key from the target: the answer to our offer, or an offer of its own.
     *
     * @return our answer to the target's offer, to go into the next request
     */
    Optional<String> onKey(TextKey key, String value) throws LoginException {
        if (offered.containsKey(key) && !agreed.containsKey(key)) {
            agreed.put(key, Negotiation.answered(key, offered.get(key), value));
            return Optional.empty();
        }
        if (TextValues.isReserved(value)) {
            warnings.accept(key + ": " + value + " ignored (we never offered " + key + ")");
            return Optional.empty();
        }
        if (irrelevant(key)) return Optional.of(TextValues.IRRELEVANT);
        String answer = Negotiation.respond(key, acceptable.get(key), value);
        agreed.put(key, answer.equals(TextValues.REJECT) ? key.defaultValue() : answer);
        return Optional.of(answer);
    }

    /** The target's MaxRecvDataSegmentLength: the longest data segment we may send it (RFC 7143 §13.12). */
    void onTargetMaxRecvDataSegmentLength(String value) throws LoginException {
        targetMaxRecvDataSegmentLength = (int) Negotiation.number(MAX_RECV_DATA_SEGMENT_LENGTH, value);
    }

    /** Offered keys still waiting for an answer that decides them. */
    List<TextKey> unanswered() {
        List<TextKey> out = new ArrayList<>();
        offered.forEach((k, v) -> {
            if (!agreed.containsKey(k) && !Negotiation.decidedByOffer(k, v)) out.add(k);
        });
        return out;
    }

    /**
     * The agreed parameters once the target entered the full feature phase.
     *
     * @throws LoginException if an offer went unanswered, or the results break a rule across keys
     */
    NegotiatedParameters finish() throws LoginException {
        List<TextKey> open = unanswered();
        if (!open.isEmpty())
            throw new LoginException(open.get(0).wireName(), "no answer to our " + offered.get(open.get(0)),
                    "an answer before FullFeaturePhase, RFC 7143 §6.2");
        offered.forEach(agreed::putIfAbsent);                    // booleans our offer decided
        NegotiatedParameters p = NegotiatedParameters.from(agreed, cfg.maxRecvDataSegmentLength(),
                targetMaxRecvDataSegmentLength);
        if (p.errorRecoveryLevel() != 0)
            throw new LoginException("ErrorRecoveryLevel", Integer.toString(p.errorRecoveryLevel()),
                    "0, the only level this initiator implements, " + ERROR_RECOVERY_LEVEL.rfc());
        if (p.maxConnections() != 1)
            throw new LoginException("MaxConnections", Integer.toString(p.maxConnections()), "1, " + MAX_CONNECTIONS.rfc());
        if (!cfg.discovery() && p.firstBurstRelevant() && p.firstBurstLength() > p.maxBurstLength())
            throw new LoginException("FirstBurstLength", Integer.toString(p.firstBurstLength()),
                    "at most MaxBurstLength " + p.maxBurstLength() + ", " + FIRST_BURST_LENGTH.rfc());
        return p;
    }

    /** RFC 7143 §13: keys irrelevant in discovery sessions, and FirstBurstLength under InitialR2T=Yes, ImmediateData=No. */
    private boolean irrelevant(TextKey key) {
        return cfg.discovery() && key.irrelevantInDiscovery()
                || key == FIRST_BURST_LENGTH && cfg.firstBurstIrrelevant();
    }
}
