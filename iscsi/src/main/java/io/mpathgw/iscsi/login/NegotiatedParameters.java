package io.mpathgw.iscsi.login;

import static io.mpathgw.iscsi.text.TextKey.*;

import io.mpathgw.iscsi.text.TextKey;
import io.mpathgw.iscsi.text.TextValues;
import java.util.Map;

/**
 * The operational parameters a login agreed on (RFC 7143 §13), as the full feature phase uses them. Immutable.
 *
 * @param headerDigest                   CRC32C header digests (HeaderDigest=CRC32C)
 * @param dataDigest                     CRC32C data digests
 * @param maxConnections                 MaxConnections; we offer 1
 * @param initialR2T                     InitialR2T: no unsolicited Data-Out when true
 * @param immediateData                  ImmediateData: data may ride in the SCSI Command PDU
 * @param maxRecvDataSegmentLength       what we declared: the longest data segment the target sends us
 * @param targetMaxRecvDataSegmentLength what the target declared: the longest data segment we may send
 * @param maxBurstLength                 MaxBurstLength
 * @param firstBurstLength               FirstBurstLength (meaningless when irrelevant, see {@link #firstBurstRelevant()})
 * @param defaultTime2Wait               DefaultTime2Wait, seconds
 * @param defaultTime2Retain             DefaultTime2Retain, seconds
 * @param maxOutstandingR2T              MaxOutstandingR2T per task
 * @param dataPduInOrder                 DataPDUInOrder
 * @param dataSequenceInOrder            DataSequenceInOrder
 * @param errorRecoveryLevel             ErrorRecoveryLevel; a finished login always has 0 (we implement ERL 0 only)
 * @param taskReporting                  TaskReporting: RFC3720, ResponseFence or FastAbort
 * @param iscsiProtocolLevel             iSCSIProtocolLevel
 */
public record NegotiatedParameters(
        boolean headerDigest, boolean dataDigest, int maxConnections, boolean initialR2T, boolean immediateData,
        int maxRecvDataSegmentLength, int targetMaxRecvDataSegmentLength, int maxBurstLength, int firstBurstLength,
        int defaultTime2Wait, int defaultTime2Retain, int maxOutstandingR2T, boolean dataPduInOrder,
        boolean dataSequenceInOrder, int errorRecoveryLevel, String taskReporting, int iscsiProtocolLevel) {

    /** Every key at its RFC 7143 default (the {@link TextKey} table's): what holds for a key nobody negotiated. */
    public static final NegotiatedParameters DEFAULTS = from(Map.of(), 8192, 8192);

    /**
     * The parameters from agreed values, each key missing from {@code agreed} at its default. Values must already be
     * valid for their keys (the negotiation checked them); keys that are not operational parameters are ignored.
     *
     * @param maxRecvDataSegmentLength       what we declared
     * @param targetMaxRecvDataSegmentLength what the target declared (8192 when it declared nothing)
     */
    public static NegotiatedParameters from(Map<TextKey, String> agreed, int maxRecvDataSegmentLength,
                                            int targetMaxRecvDataSegmentLength) {
        Values v = new Values(agreed);
        return new NegotiatedParameters(v.crc32c(HEADER_DIGEST), v.crc32c(DATA_DIGEST), v.number(MAX_CONNECTIONS),
                v.yes(INITIAL_R2T), v.yes(IMMEDIATE_DATA), maxRecvDataSegmentLength, targetMaxRecvDataSegmentLength,
                v.number(MAX_BURST_LENGTH), v.number(FIRST_BURST_LENGTH), v.number(DEFAULT_TIME2WAIT),
                v.number(DEFAULT_TIME2RETAIN), v.number(MAX_OUTSTANDING_R2T), v.yes(DATA_PDU_IN_ORDER),
                v.yes(DATA_SEQUENCE_IN_ORDER), v.number(ERROR_RECOVERY_LEVEL), v.get(TASK_REPORTING),
                v.number(ISCSI_PROTOCOL_LEVEL));
    }

    /** The same parameters after the target declared MaxRecvDataSegmentLength again (RFC 7143 §13.12, Text). */
    public NegotiatedParameters withTargetMaxRecvDataSegmentLength(int v) {
        return new NegotiatedParameters(headerDigest, dataDigest, maxConnections, initialR2T, immediateData,
                maxRecvDataSegmentLength, v, maxBurstLength, firstBurstLength, defaultTime2Wait, defaultTime2Retain,
                maxOutstandingR2T, dataPduInOrder, dataSequenceInOrder, errorRecoveryLevel, taskReporting,
                iscsiProtocolLevel);
    }

    /** FirstBurstLength is irrelevant when InitialR2T=Yes and ImmediateData=No (RFC 7143 §13.14). */
    public boolean firstBurstRelevant() {
        return !initialR2T || immediateData;
    }

    private record Values(Map<TextKey, String> agreed) {
        String get(TextKey k) {
            return agreed.getOrDefault(k, k.defaultValue());
        }

        boolean yes(TextKey k) {
            return TextValues.YES.equals(get(k));
        }

        boolean crc32c(TextKey k) {
            return "CRC32C".equals(get(k));
        }

        int number(TextKey k) {
            return (int) TextValues.parseNumber(get(k)).orElseThrow();
        }
    }
}
