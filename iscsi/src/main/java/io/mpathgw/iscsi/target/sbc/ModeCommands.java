package io.mpathgw.iscsi.target.sbc;

import io.mpathgw.scsi.BlockDevice;
import io.netty.buffer.ByteBuf;

/**
 * MODE SENSE and MODE SELECT 6/10 (SPC-4 §6.11–6.14): the mode parameter header with the SBC device-specific
 * parameter (WP, DPOFUA: SBC-3 §6.4.2), one short or long LBA block descriptor unless DBD, then the pages of
 * {@link ModePages}.
 */
final class ModeCommands {

    private static final int WP = 0x80;
    private static final int DPOFUA = 0x10;

    private final BlockDevice device;
    private final Settings settings;
    private final ModePages pages;

    ModeCommands(BlockDevice device, Settings settings, ModePages pages) {
        this.device = device;
        this.settings = settings;
        this.pages = pages;
    }

    byte[] sense(Exchange x) {
        boolean ten = x.u8(0) == SbcCommand.MODE_SENSE_10.opcode;
        boolean dbd = (x.u8(1) & 0x08) != 0;
        boolean longLba = ten && (x.u8(1) & 0x10) != 0;
        int pc = x.u8(2) >> 6;
        byte[] body = pages.pages(pc, x.u8(2) & 0x3F, x.u8(3));
        byte[] descriptor = dbd ? new byte[0] : blockDescriptor(longLba, pc == ModePages.PC_CHANGEABLE);
        int header = ten ? 8 : 4;
        byte[] b = new byte[header + descriptor.length + body.length];
        int deviceSpecific = (writeProtected() ? WP : 0) | DPOFUA;
        if (ten) {
            put16(b, 0, b.length - 2);
            b[3] = (byte) deviceSpecific;
            b[4] = (byte) (longLba && !dbd ? 0x01 : 0);
            put16(b, 6, descriptor.length);
        } else {
            if (b.length > 256) throw CheckCondition.invalidField(2, 5);
            b[0] = (byte) (b.length - 1);
            b[2] = (byte) deviceSpecific;
            b[3] = (byte) descriptor.length;
        }
        System.arraycopy(descriptor, 0, b, header, descriptor.length);
        System.arraycopy(body, 0, b, header + descriptor.length, body.length);
        return b;
    }

    /**
     * MODE SELECT: PF must be 1 and SP 0 (nothing is saved); the header's block descriptor, if any, must keep the
     * block length; then the pages go to {@link ModePages#select}.
     *
     * @return whether a mode parameter changed
     */
    boolean select(Exchange x) {
        boolean ten = x.u8(0) == SbcCommand.MODE_SELECT_10.opcode;
        if ((x.u8(1) & 0x10) == 0) throw CheckCondition.invalidField(1, 4);     // PF
        if ((x.u8(1) & 0x01) != 0) throw CheckCondition.invalidField(1, 0);     // SP: no saved pages
        int lengthField = ten ? 7 : 4;
        int length = ten ? x.u16(7) : x.u8(4);
        if (length == 0) return false;
        int header = ten ? 8 : 4;
        if (length < header) throw CheckCondition.parameterListLength(lengthField);
        ByteBuf p = x.takeDataOut(length);
        try {
            int at = p.readerIndex();
            boolean longLba = ten && (p.getUnsignedByte(at + 4) & 0x01) != 0;
            int bdl = ten ? p.getUnsignedShort(at + 6) : p.getUnsignedByte(at + 3);
            int bdlField = ten ? 6 : 3;
            if (bdl != 0 && bdl != (longLba ? 16 : 8)) throw CheckCondition.invalidParameter(bdlField, -1);
            if (header + bdl > length) throw CheckCondition.parameterListLength(lengthField);
            if (bdl > 0) checkBlockDescriptor(p, at + header, header, longLba);
            return pages.select(p, header + bdl, length, lengthField);
        } finally {
            p.release();
        }
    }

    private boolean writeProtected() {
        return settings.writeProtected() || pages.softwareWriteProtect();
    }

    /** Short (8) or long LBA (16) block descriptor; for PC changeable all zero: neither field can change. */
    private byte[] blockDescriptor(boolean longLba, boolean changeable) {
        byte[] d = new byte[longLba ? 16 : 8];
        if (changeable) return d;
        long blocks = device.blockCount();
        int size = device.blockSize();
        if (longLba) {
            for (int i = 0; i < 8; i++) d[i] = (byte) (blocks >>> (56 - 8 * i));
            put16(d, 12, size >>> 16);
            put16(d, 14, size);
        } else {
            long n = Math.min(blocks, 0xFFFF_FFFFL);
            put16(d, 0, (int) (n >>> 16));
            put16(d, 2, (int) n);
            d[5] = (byte) (size >> 16);
            put16(d, 6, size);
        }
        return d;
    }

    /** The block length cannot change; NUMBER OF LOGICAL BLOCKS is accepted as 0 or the current count. */
    private void checkBlockDescriptor(ByteBuf p, int at, int offset, boolean longLba) {
        long blocks = longLba ? p.getLong(at) : p.getUnsignedInt(at);
        long size = longLba ? p.getUnsignedInt(at + 12) : p.getUnsignedMedium(at + 5);
        long current = longLba ? device.blockCount() : Math.min(device.blockCount(), 0xFFFF_FFFFL);
        if (blocks != 0 && blocks != current) throw CheckCondition.invalidParameter(offset, -1);
        if (size != device.blockSize()) throw CheckCondition.invalidParameter(offset + (longLba ? 12 : 5), -1);
    }

    private static void put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >> 8);
        b[at + 1] = (byte) v;
    }
}
