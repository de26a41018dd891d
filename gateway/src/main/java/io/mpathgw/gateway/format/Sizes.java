package io.mpathgw.gateway.format;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * multipath-tools' size column ({@code size=10G}, {@code %S}): 512-byte sectors halved to KiB in single precision,
 * divided by 1024 while at least 1024 up to P, printed with one decimal below 10 ("5.0G", "6.0T") and none from 10
 * ("100G"). The value rounds as C's printf rounds a float: the exact binary value, ties to even.
 */
public final class Sizes {

    private static final char[] UNITS = {'K', 'M', 'G', 'T', 'P'};

    private Sizes() {
    }

    public static String ofSectors(long sectors) {
        float s = (float) (sectors >> 1);
        int u = 0;
        while (s >= 1024 && u < UNITS.length - 1) {
            s = s / 1024;
            u++;
        }
        int decimals = s < 10 ? 1 : 0;
        return new BigDecimal(s).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString() + UNITS[u];
    }
}
