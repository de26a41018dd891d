package io.mpathgw.iscsi.login;

import io.mpathgw.iscsi.text.TextParameters;

/**
 * What the next Login Request carries: its stage bits and its keys (RFC 7143 §11.12). The PDU layer adds ISID,
 * TSIH, CID, CmdSN and ExpStatSN, and splits {@code keys} over several PDUs with {@code TextSegmenter} when they
 * exceed 8192 bytes, the data segment limit during login.
 *
 * @param csg     CurrentStage: {@link #SECURITY_NEGOTIATION} or {@link #OPERATIONAL_NEGOTIATION}
 * @param nsg     NextStage; meaningful only when {@code transit} is set
 * @param transit the T bit: we are ready to go to {@code nsg}
 * @param keys    the data segment; may be empty
 */
public record LoginStep(int csg, int nsg, boolean transit, TextParameters keys) {

    public static final int SECURITY_NEGOTIATION = 0;
    public static final int OPERATIONAL_NEGOTIATION = 1;
    public static final int FULL_FEATURE_PHASE = 3;

    public LoginStep {
        if (csg != SECURITY_NEGOTIATION && csg != OPERATIONAL_NEGOTIATION)
            throw new IllegalArgumentException("CSG: " + csg + " (expected: 0 or 1)");
        if (transit && (nsg <= csg || nsg == 2 || nsg > FULL_FEATURE_PHASE))
            throw new IllegalArgumentException("NSG: " + nsg + " (expected: 1 or 3, after CSG " + csg + ")");
    }

    public static String stageName(int stage) {
        return switch (stage) {
            case SECURITY_NEGOTIATION -> "SecurityNegotiation";
            case OPERATIONAL_NEGOTIATION -> "LoginOperationalNegotiation";
            case FULL_FEATURE_PHASE -> "FullFeaturePhase";
            default -> "reserved stage " + stage;
        };
    }

    @Override
    public String toString() {
        return String.format("CSG=%d NSG=%d T=%d [%s]", csg, nsg, transit ? 1 : 0, keys);
    }
}
