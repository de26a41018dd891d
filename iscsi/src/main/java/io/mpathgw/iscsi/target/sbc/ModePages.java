package io.mpathgw.iscsi.target.sbc;

import io.mpathgw.scsi.ModePage;
import io.netty.buffer.ByteBuf;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The mode pages of the LU (SPC-4 §7.5, SBC-3 §6.4) and MODE SENSE / MODE SELECT over them: Caching (08h),
 * Control (0Ah) and Informational Exceptions Control (1Ch). One set of current values for every I_T nexus; no saved
 * values (PC 11b and SP are refused). Changeable bits: WCE; D_SENSE, SWP and TAS.
 *
 * <p>Thread-safe: the current pages are an immutable snapshot behind a volatile reference, replaced whole by MODE
 * SELECT; the getters the data path uses ({@link #softwareWriteProtect}, {@link #descriptorSense},
 * {@link #writeCacheEnabled}) read one volatile field.
 */
final class ModePages {

    static final int CACHING = ModePage.CACHING;
    static final int CONTROL = ModePage.CONTROL;
    static final int INFORMATIONAL_EXCEPTIONS = 0x1C;
    private static final int[] CODES = {CACHING, CONTROL, INFORMATIONAL_EXCEPTIONS};

    // byte offsets and bits, counted as SPC-4 counts them (byte 0 is the page code)
    private static final int CACHING_WCE = 0x04;          // byte 2
    private static final int CONTROL_D_SENSE = 0x04;      // byte 2
    private static final int CONTROL_SWP = 0x08;          // byte 4
    private static final int CONTROL_TAS = 0x40;          // byte 5

    /** PC field of MODE SENSE. */
    static final int PC_CURRENT = 0;
    static final int PC_CHANGEABLE = 1;
    static final int PC_DEFAULT = 2;
    static final int PC_SAVED = 3;

    private final byte[][] defaults;
    private final byte[][] changeable;
    private volatile byte[][] current;

    ModePages(boolean writeCacheEnabled) {
        this.defaults = new byte[][] {caching(writeCacheEnabled), control(), informationalExceptions()};
        this.changeable = new byte[][] {mask(CACHING, 0x12, 2, CACHING_WCE),
            mask(CONTROL, 0x0A, 2, CONTROL_D_SENSE, 4, CONTROL_SWP, 5, CONTROL_TAS),
            mask(INFORMATIONAL_EXCEPTIONS, 0x0A)};
        this.current = defaults;
    }

    boolean writeCacheEnabled() {
        return (current[0][2] & CACHING_WCE) != 0;
    }

    boolean descriptorSense() {
        return (current[1][2] & CONTROL_D_SENSE) != 0;
    }

    boolean softwareWriteProtect() {
        return (current[1][4] & CONTROL_SWP) != 0;
    }

    /** Back to the default values (LOGICAL UNIT RESET, SAM-5 §6.3.3: no saved values exist). */
    void reset() {
        current = defaults;
    }

    /**
     * The pages a MODE SENSE asks for, concatenated: one page, or all of them for page code 3Fh.
     *
     * @throws CheckCondition SAVING PARAMETERS NOT SUPPORTED for PC 11b, INVALID FIELD IN CDB for an unknown page
     *                        or subpage
     */
    byte[] pages(int pc, int pageCode, int subpage) {
        if (pc == PC_SAVED) throw CheckCondition.of(CheckCondition.SAVING_PARAMETERS_NOT_SUPPORTED);
        byte[][] set = pc == PC_CHANGEABLE ? changeable : pc == PC_DEFAULT ? defaults : current;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (pageCode == ModePage.ALL_PAGES) {
            if (subpage != 0x00 && subpage != 0xFF) throw CheckCondition.invalidField(3, -1);
            for (byte[] p : set) out.writeBytes(p);
            return out.toByteArray();
        }
        int i = indexOf(pageCode);
        if (i < 0) throw CheckCondition.invalidField(2, 5);
        if (subpage != 0x00 && subpage != 0xFF) throw CheckCondition.invalidField(3, -1);
        return set[i].clone();
    }

    /**
     * Applies the pages of a MODE SELECT parameter list, starting at {@code at} of {@code list}, after checking all
     * of them: a known page, its exact length, and no change outside the changeable bits (SPC-4 §6.9 / §7.5.1).
     *
     * @return whether a current value changed (the caller then raises MODE PARAMETERS CHANGED)
     * @throws CheckCondition INVALID FIELD IN PARAMETER LIST naming the byte, or PARAMETER LIST LENGTH ERROR
     */
    synchronized boolean select(ByteBuf list, int at, int end, int lengthField) {
        byte[][] next = current.clone();
        while (at < end) {
            if (at + 2 > end) throw CheckCondition.parameterListLength(lengthField);
            int code = list.getUnsignedByte(list.readerIndex() + at) & 0x3F;
            boolean spf = (list.getUnsignedByte(list.readerIndex() + at) & 0x40) != 0;
            int i = indexOf(code);
            if (i < 0) throw CheckCondition.invalidParameter(at, 5);
            if (spf) throw CheckCondition.invalidParameter(at, 6);
            int length = list.getUnsignedByte(list.readerIndex() + at + 1);
            if (length != defaults[i].length - 2) throw CheckCondition.invalidParameter(at + 1, -1);
            if (at + 2 + length > end) throw CheckCondition.parameterListLength(lengthField);
            byte[] page = next[i].clone();
            for (int b = 2; b < page.length; b++) {
                int sent = list.getUnsignedByte(list.readerIndex() + at + b);
                int diff = (sent ^ page[b]) & ~changeable[i][b] & 0xFF;
                if (diff != 0) throw CheckCondition.invalidParameter(at + b, CheckCondition.highestBit(diff));
                page[b] = (byte) sent;
            }
            next[i] = page;
            at += 2 + length;
        }
        boolean changed = false;
        for (int i = 0; i < next.length; i++) changed |= !Arrays.equals(next[i], current[i]);
        current = next;
        return changed;
    }

    private static int indexOf(int code) {
        for (int i = 0; i < CODES.length; i++)
            if (CODES[i] == code) return i;
        return -1;
    }

    /** Caching (SBC-3 §6.4.5), page length 12h: WCE as configured, read cache on (RCD 0). */
    private static byte[] caching(boolean wce) {
        byte[] p = new byte[2 + 0x12];
        p[0] = CACHING;
        p[1] = 0x12;
        p[2] = (byte) (wce ? CACHING_WCE : 0);
        return p;
    }

    /**
     * Control (SPC-4 §7.5.8), page length 0Ah: TST 0, QUEUE ALGORITHM MODIFIER 1 (unrestricted reordering),
     * QERR 0, SWP and D_SENSE off, BUSY TIMEOUT PERIOD FFFFh (unlimited).
     */
    private static byte[] control() {
        byte[] p = new byte[2 + 0x0A];
        p[0] = CONTROL;
        p[1] = 0x0A;
        p[3] = 0x10;
        p[8] = (byte) 0xFF;
        p[9] = (byte) 0xFF;
        return p;
    }

    /** Informational Exceptions Control (SPC-4 §7.5.10), page length 0Ah: DEXCPT set (none are reported). */
    private static byte[] informationalExceptions() {
        byte[] p = new byte[2 + 0x0A];
        p[0] = INFORMATIONAL_EXCEPTIONS;
        p[1] = 0x0A;
        p[2] = 0x08;
        return p;
    }

    /** A changeable-values page: header, then {@code byteIndex, bits} pairs. */
    private static byte[] mask(int code, int length, int... bits) {
        byte[] p = new byte[2 + length];
        p[0] = (byte) code;
        p[1] = (byte) length;
        for (int i = 0; i < bits.length; i += 2) p[bits[i]] |= (byte) bits[i + 1];
        return p;
    }
}
