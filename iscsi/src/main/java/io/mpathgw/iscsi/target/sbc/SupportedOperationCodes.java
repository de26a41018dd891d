package io.mpathgw.iscsi.target.sbc;

import java.io.ByteArrayOutputStream;

/**
 * REPORT SUPPORTED OPERATION CODES (SPC-4 §6.35), from the {@link SbcCommand} table: reporting options 000b (all
 * commands), 001b (an opcode without service actions), 010b (opcode and service action) and 011b (either), with
 * command timeouts descriptors when RCTD is set. The CDB USAGE DATA is the same mask the LU validates CDBs with.
 */
final class SupportedOperationCodes {

    private static final int ALL = 0;
    private static final int OPCODE = 1;
    private static final int OPCODE_AND_SERVICE_ACTION = 2;
    private static final int EITHER = 3;
    private static final int SUPPORTED = 0x03;       // SUPPORT 011b: supported as the standard says
    private static final int NOT_SUPPORTED = 0x01;   // SUPPORT 001b

    private final Settings settings;

    SupportedOperationCodes(Settings settings) {
        this.settings = settings;
    }

    byte[] answer(Exchange x) {
        boolean rctd = (x.u8(2) & 0x80) != 0;
        int options = x.u8(2) & 0x07;
        int opcode = x.u8(3);
        int serviceAction = x.u16(4);
        return switch (options) {
            case ALL -> all(rctd);
            case OPCODE -> {
                if (SbcCommand.hasServiceActions(opcode)) throw CheckCondition.invalidField(2, 2);
                yield one(SbcCommand.find(opcode, -1), rctd);
            }
            case OPCODE_AND_SERVICE_ACTION -> {
                if (!SbcCommand.hasServiceActions(opcode)) throw CheckCondition.invalidField(2, 2);
                yield one(SbcCommand.find(opcode, serviceAction), rctd);
            }
            case EITHER -> one(SbcCommand.find(opcode, SbcCommand.hasServiceActions(opcode) ? serviceAction : -1),
                    rctd);
            default -> throw CheckCondition.invalidField(2, 2);
        };
    }

    /** Command descriptors (SPC-4 Table 251), 8 bytes each plus 12 with CTDP. */
    private byte[] all(boolean rctd) {
        ByteArrayOutputStream list = new ByteArrayOutputStream();
        for (SbcCommand c : SbcCommand.values()) {
            if (!settings.supports(c)) continue;
            byte[] d = new byte[8];
            d[0] = (byte) c.opcode;
            int sa = Math.max(c.serviceAction, 0);
            d[2] = (byte) (sa >> 8);
            d[3] = (byte) sa;
            d[5] = (byte) ((rctd ? 0x02 : 0) | (c.serviceAction >= 0 ? 0x01 : 0));
            d[6] = (byte) (c.cdbLength() >> 8);
            d[7] = (byte) c.cdbLength();
            list.writeBytes(d);
            if (rctd) list.writeBytes(timeouts());
        }
        byte[] body = list.toByteArray();
        byte[] b = new byte[4 + body.length];
        b[0] = (byte) (body.length >> 24);
        b[1] = (byte) (body.length >> 16);
        b[2] = (byte) (body.length >> 8);
        b[3] = (byte) body.length;
        System.arraycopy(body, 0, b, 4, body.length);
        return b;
    }

    /** One_command parameter data (SPC-4 Table 253); SUPPORT 001b and no usage data for an unknown command. */
    private byte[] one(SbcCommand c, boolean rctd) {
        if (c == null || !settings.supports(c)) return new byte[] {0, NOT_SUPPORTED, 0, 0};
        byte[] usage = usage(c);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write((rctd ? 0x80 : 0) | SUPPORTED);
        out.write(usage.length >> 8);
        out.write(usage.length);
        out.writeBytes(usage);
        if (rctd) out.writeBytes(timeouts());
        return out.toByteArray();
    }

    /** The usage data as this LU has it: WRITE SAME's UNMAP bit only when thin. */
    private byte[] usage(SbcCommand c) {
        byte[] u = c.usage();
        if (!settings.thin() && (c == SbcCommand.WRITE_SAME_10 || c == SbcCommand.WRITE_SAME_16)) u[1] &= ~0x08;
        return u;
    }

    /** Command timeouts descriptor (SPC-4 Table 254): DESCRIPTOR LENGTH 0Ah, timeouts 0 (not specified). */
    private static byte[] timeouts() {
        byte[] t = new byte[12];
        t[1] = 0x0A;
        return t;
    }
}
