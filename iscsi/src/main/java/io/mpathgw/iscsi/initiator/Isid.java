package io.mpathgw.iscsi.initiator;

import java.security.SecureRandom;

/** ISIDs (RFC 7143 §11.12.5): type 10b "random" format, 6 bytes held in the low 48 bits of a long. */
public final class Isid {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Isid() {
    }

    /** T=10b (random), A=0, B and C random, D=0; unique enough per initiator name. */
    public static long random() {
        long bc = RANDOM.nextInt() & 0xffffffL;
        return 0x80L << 40 | bc << 16;
    }

    public static String format(long isid) {
        return String.format("%012x", isid & 0xffffffffffffL);
    }
}
