package io.mpathgw.iscsi.target;

import static io.mpathgw.iscsi.text.TextKey.*;

import io.mpathgw.iscsi.login.LoginException;
import io.mpathgw.iscsi.login.LoginStatus;
import io.mpathgw.iscsi.login.NegotiatedParameters;
import io.mpathgw.iscsi.login.Negotiation;
import io.mpathgw.iscsi.text.TextKey;
import io.mpathgw.iscsi.text.TextParameters;
import io.mpathgw.iscsi.text.TextValues;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The target's answers to operational keys (RFC 7143 §6.2, §13) with the result function of each key from
 * {@link Negotiation#respond}: what we accept comes from {@link TargetSettings} and the target node's digest
 * requirements. Keys irrelevant to a discovery session are answered Irrelevant, unknown keys NotUnderstood,
 * malformed or out-of-range values Reject (the key then keeps its default). A digest the target requires and the
 * initiator did not offer is offered by the target before it lets the login end.
 */
final class OperationalResponder {

    private static final String CRC32C = "CRC32C";

    private final TargetSettings settings;
    private final boolean discovery;
    private final Map<TextKey, String> ours = new EnumMap<>(TextKey.class);
    private final Map<TextKey, String> agreed = new EnumMap<>(TextKey.class);
    private final Map<TextKey, String> offered = new EnumMap<>(TextKey.class);
    private final boolean headerDigestRequired, dataDigestRequired;
    private int initiatorMrdsl = Integer.parseInt(MAX_RECV_DATA_SEGMENT_LENGTH.defaultValue());
    private boolean declared;

    OperationalResponder(TargetSettings settings, boolean discovery, TargetNode node) {
        this.settings = settings;
        this.discovery = discovery;
        this.headerDigestRequired = node != null && node.headerDigest();
        this.dataDigestRequired = node != null && node.dataDigest();
        ours.put(HEADER_DIGEST, headerDigestRequired ? CRC32C : "CRC32C,None");
        ours.put(DATA_DIGEST, dataDigestRequired ? CRC32C : "CRC32C,None");
        ours.put(MAX_CONNECTIONS, "1");
        ours.put(INITIAL_R2T, TextValues.bool(settings.initialR2T()));
        ours.put(IMMEDIATE_DATA, TextValues.bool(settings.immediateData()));
        ours.put(MAX_BURST_LENGTH, Integer.toString(settings.maxBurstLength()));
        ours.put(FIRST_BURST_LENGTH, Integer.toString(settings.firstBurstLength()));
        ours.put(DEFAULT_TIME2WAIT, Integer.toString(settings.defaultTime2Wait()));
        ours.put(DEFAULT_TIME2RETAIN, Integer.toString(settings.defaultTime2Retain()));
        ours.put(MAX_OUTSTANDING_R2T, Integer.toString(settings.maxOutstandingR2T()));
        ours.put(DATA_PDU_IN_ORDER, TextValues.YES);           // we take Data-Out in any order, but never need to
        ours.put(DATA_SEQUENCE_IN_ORDER, TextValues.YES);
        ours.put(ERROR_RECOVERY_LEVEL, "0");                   // ERL 0: session recovery only
        ours.put(TASK_REPORTING, "RFC3720");
        ours.put(ISCSI_PROTOCOL_LEVEL, "1");                   // RFC 7143; RFC 7144's level 2 features are not here
        ours.put(RDMA_EXTENSIONS, TextValues.NO);              // TCP only
    }

    /** Answers every non-security key of {@code in} into {@code out}. */
    void onKeys(TextParameters in, TextParameters out) throws LoginFailure {
        for (TextParameters.Entry e : in) {
            Optional<TextKey> key = TextKey.byName(e.key());
            if (key.isEmpty()) {
                out.add(e.key(), TextValues.NOT_UNDERSTOOD);       // §6.2, X- and X# keys included
                continue;
            }
            TextKey k = key.get();
            if (k.use() == Use.SECURITY) continue;                 // the security stage's business
            answer(k, e.value(), out);
        }
    }

    private void answer(TextKey k, String value, TextParameters out) throws LoginFailure {
        if (offered.containsKey(k)) {                              // the answer to our own offer
            try {
                agreed.put(k, Negotiation.answered(k, offered.remove(k), value));
            } catch (LoginException e) {
                throw new LoginFailure(LoginStatus.INITIATOR_ERROR, e.getMessage());
            }
            return;
        }
        switch (k.kind()) {
            case DECLARATIVE -> declarative(k, value, out);
            case OBSOLETE -> out.add(k, k == IF_MARKER || k == OF_MARKER ? TextValues.NO : TextValues.REJECT);  // §13.25
            default -> {
                if (discovery && k.irrelevantInDiscovery()) {
                    out.add(k, TextValues.IRRELEVANT);
                    return;
                }
                String answer;
                try {
                    answer = TextValues.isReserved(value) ? TextValues.REJECT : Negotiation.respond(k, ours.get(k), value);
                } catch (LoginException e) {
                    answer = TextValues.REJECT;                    // malformed or out of range: §6.2
                }
                out.add(k, answer);
                agreed.put(k, answer.equals(TextValues.REJECT) ? k.defaultValue() : answer);
            }
        }
    }

    private void declarative(TextKey k, String value, TextParameters out) throws LoginFailure {
        switch (k) {
            case MAX_RECV_DATA_SEGMENT_LENGTH -> {
                try {
                    initiatorMrdsl = (int) Negotiation.number(k, value);
                } catch (LoginException e) {
                    throw new LoginFailure(LoginStatus.INITIATOR_ERROR, e.getMessage());
                }
            }
            case INITIATOR_NAME, INITIATOR_ALIAS, TARGET_NAME, SESSION_TYPE, NODE_ARCHITECTURE -> { }
            // keys only a target sends, and SendTargets outside the full feature phase
            default -> out.add(k, TextValues.REJECT);
        }
    }

    /** Adds our MaxRecvDataSegmentLength declaration to {@code out} once (RFC 7143 §13.12). */
    void declare(TextParameters out) {
        if (declared) return;
        declared = true;
        out.add(MAX_RECV_DATA_SEGMENT_LENGTH, Integer.toString(settings.maxRecvDataSegmentLength()));
    }

    /**
     * Whether the login may enter the full feature phase now. A required digest the initiator never offered is
     * offered here (the response then stays in its stage until it is answered).
     */
    boolean readyForFullFeature(TextParameters out) throws LoginFailure {
        requireDigest(HEADER_DIGEST, headerDigestRequired, out);
        requireDigest(DATA_DIGEST, dataDigestRequired, out);
        return offered.isEmpty();
    }

    private void requireDigest(TextKey k, boolean required, TextParameters out) throws LoginFailure {
        if (!required || offered.containsKey(k)) return;
        String v = agreed.get(k);
        if (v == null) {
            offered.put(k, CRC32C);
            out.add(k, CRC32C);
        } else if (!v.equals(CRC32C)) {
            throw new LoginFailure(LoginStatus.INITIATOR_ERROR, k + ": " + v + " (expected: CRC32C, the target requires it)");
        }
    }

    /** The agreed parameters; our MaxRecvDataSegmentLength is the declared one, the initiator's its own. */
    NegotiatedParameters result() {
        NegotiatedParameters p = NegotiatedParameters.from(agreed,
                declared ? settings.maxRecvDataSegmentLength() : Integer.parseInt(MAX_RECV_DATA_SEGMENT_LENGTH.defaultValue()),
                initiatorMrdsl);
        if (p.firstBurstLength() <= p.maxBurstLength()) return p;
        // RFC 7143 §13.14: FirstBurstLength never exceeds MaxBurstLength; hold ourselves to the smaller
        return new NegotiatedParameters(p.headerDigest(), p.dataDigest(), p.maxConnections(), p.initialR2T(),
                p.immediateData(), p.maxRecvDataSegmentLength(), p.targetMaxRecvDataSegmentLength(), p.maxBurstLength(),
                p.maxBurstLength(), p.defaultTime2Wait(), p.defaultTime2Retain(), p.maxOutstandingR2T(),
                p.dataPduInOrder(), p.dataSequenceInOrder(), p.errorRecoveryLevel(), p.taskReporting(),
                p.iscsiProtocolLevel());
    }
}
