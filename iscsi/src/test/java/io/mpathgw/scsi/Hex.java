package io.mpathgw.scsi;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Test byte images written as hex, with {@code "quoted"} ASCII and {@code 00*20} repetition for padding. */
final class Hex {

    private static final Pattern TOKEN = Pattern.compile("\"([^\"]*)\"|([0-9a-fA-F]{2})(?:\\*(\\d+))?|(\\S+)");

    private Hex() {
    }

    static byte[] bytes(String image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Matcher m = TOKEN.matcher(image);
        while (m.find()) {
            if (m.group(1) != null) {
                out.writeBytes(m.group(1).getBytes(StandardCharsets.US_ASCII));
            } else if (m.group(2) != null) {
                int n = m.group(3) == null ? 1 : Integer.parseInt(m.group(3));
                for (int i = 0; i < n; i++) out.write(Integer.parseInt(m.group(2), 16));
            } else {
                throw new IllegalArgumentException("hex image token: " + m.group(4));
            }
        }
        return out.toByteArray();
    }

    static String of(byte[] b) {
        return HexFormat.ofDelimiter(" ").formatHex(b);
    }
}
