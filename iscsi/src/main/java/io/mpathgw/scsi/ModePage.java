package io.mpathgw.scsi;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One mode page (SPC-4, mode page format): page_0 format (SPF 0, one-byte PAGE LENGTH, parameters from byte 2)
 * or sub_page format (SPF 1, SUBPAGE CODE at byte 1, two-byte PAGE LENGTH, parameters from byte 4).
 *
 * @param code              PAGE CODE, 0x00..0x3F
 * @param subpage           SUBPAGE CODE; 0 for a page_0 format page
 * @param subpageFormat     SPF bit
 * @param parametersSavable PS bit (MODE SENSE only; reserved, and cleared, in MODE SELECT)
 * @param parameters        the bytes after the page header (a copy)
 */
public record ModePage(int code, int subpage, boolean subpageFormat, boolean parametersSavable, byte[] parameters) {

    public static final int READ_WRITE_ERROR_RECOVERY = 0x01;
    public static final int CACHING = 0x08;
    /** Control mode page; the rdac checker sets its TAS bit (multipath-tools rdac.c). */
    public static final int CONTROL = 0x0A;
    public static final int ALL_PAGES = 0x3F;

    public ModePage {
        Wire.range("page code", code, 0, 0x3F);
        Wire.range("subpage code", subpage, 0, subpageFormat ? 0xFF : 0);
        Wire.range("page length", parameters.length, 0, subpageFormat ? 0xFFFF : 0xFF);
        parameters = parameters.clone();
    }

    /** A page_0 format page. */
    public static ModePage of(int code, byte[] parameters) {
        return new ModePage(code, 0, false, false, parameters);
    }

    @Override
    public byte[] parameters() {
        return parameters.clone();
    }

    /** Parameter byte {@code i} of the page, counted as SPC-4 counts it (byte 2 is the first of a page_0 page). */
    public int byteAt(int i) {
        int header = subpageFormat ? 4 : 2;
        Wire.range("mode page byte", i, header, header + parameters.length - 1);
        return parameters[i - header] & 0xFF;
    }

    /** This page with one byte changed (same numbering as {@link #byteAt}), for a read-modify-write MODE SELECT. */
    public ModePage withByte(int i, int value) {
        int header = subpageFormat ? 4 : 2;
        Wire.range("mode page byte", i, header, header + parameters.length - 1);
        byte[] p = parameters.clone();
        p[i - header] = (byte) value;
        return new ModePage(code, subpage, subpageFormat, parametersSavable, p);
    }

    /** Header plus parameters; {@code withPs} false for MODE SELECT, where the PS bit is reserved. */
    public byte[] toBytes(boolean withPs) {
        int header = subpageFormat ? 4 : 2;
        byte[] b = new byte[header + parameters.length];
        b[0] = (byte) ((withPs && parametersSavable ? 0x80 : 0) | (subpageFormat ? 0x40 : 0) | code);
        if (subpageFormat) {
            b[1] = (byte) subpage;
            Wire.putShort(b, 2, parameters.length);
        } else {
            b[1] = (byte) parameters.length;
        }
        System.arraycopy(parameters, 0, b, header, parameters.length);
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModePage p && p.code == code && p.subpage == subpage && p.subpageFormat == subpageFormat
                && p.parametersSavable == parametersSavable && Arrays.equals(p.parameters, parameters);
    }

    @Override
    public int hashCode() {
        return (code * 257 + subpage) * 31 + Arrays.hashCode(parameters);
    }

    @Override
    public String toString() {
        return String.format("mode page 0x%02x/0x%02x%s: %s", code, subpage, parametersSavable ? " PS" : "",
                HexFormat.of().formatHex(parameters));
    }
}
