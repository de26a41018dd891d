package io.mpathgw.iscsi.target.sbc;

import io.mpathgw.iscsi.target.Nexus;
import io.mpathgw.iscsi.target.ScsiTask;
import io.mpathgw.scsi.InquiryData;
import io.mpathgw.scsi.MemoryBlockDevice;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.util.HexFormat;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An {@link SbcLogicalUnit} over a {@link MemoryBlockDevice} of 4096 blocks of 512 bytes, driven synchronously:
 * every call checks that the LU released the Data-Out buffer it was given, copies the Data-In and releases the
 * response.
 */
final class TestLu implements AutoCloseable {

    /** Two initiators through two ports of different groups, as libiscsi's two sessions would be. */
    static final Nexus A = new Nexus("iqn.2026-01.test:a", 0x23d000000001L, 1, 1);
    static final Nexus B = new Nexus("iqn.2026-01.test:b", 0x23d000000002L, 2, 3);
    /** A's initiator through B's port: a second I_T nexus of the same initiator port name. */
    static final Nexus A2 = new Nexus("iqn.2026-01.test:a", 0x23d000000001L, 2, 3);

    static final int BLOCK = 512;
    static final int BLOCKS = 4096;
    static final byte[] NAA = HexFormat.of().parseHex("6001405abcdef0123456789abcdef012");

    /** A command's outcome with its Data-In copied out. */
    record Result(Reply reply, byte[] data) {
        Result expect(Expect e) {
            e.check(reply);
            return this;
        }

        String hex() {
            return HexFormat.of().formatHex(data);
        }
    }

    final MemoryBlockDevice device;
    final SbcLogicalUnit lu;

    TestLu(UnaryOperator<SbcLogicalUnitBuilder> settings) {
        this(new MemoryBlockDevice(BLOCK, BLOCKS), settings);
    }

    TestLu(MemoryBlockDevice device, UnaryOperator<SbcLogicalUnitBuilder> settings) {
        this.device = device;
        this.lu = settings.apply(SbcLogicalUnit.builder(device).serial("SN0001").product("SBC TEST").naa(NAA))
                .build();
    }

    /** The profiles of the cases file. */
    static TestLu profile(String name) {
        return switch (name) {
            case "std" -> new TestLu(b -> b.tpgs(InquiryData.TPGS_IMPLICIT).unmappedReadsZero(true)
                    .targetName("iqn.2026-01.io.mpathgw:t1").portGroup(1, 1, 2).portGroup(2, 3)
                    .maximumTransferLength(1024).maximumWriteSameLength(2048).maximumCompareAndWriteLength(16)
                    .maximumUnmapDescriptors(4).maximumUnmapLbaCount(1024));
            case "plain" -> new TestLu(b -> b.thinProvisioning(false));
            case "wp" -> new TestLu(b -> b.writeProtected(true));
            case "rm" -> new TestLu(b -> b.removable(true));
            case "explicit" -> new TestLu(b -> b.tpgs(InquiryData.TPGS_BOTH).portGroup(1, 1, 2).portGroup(2, 3));
            default -> throw new IllegalArgumentException("profile: " + name);
        };
    }

    Result run(Nexus n, String cdbHex) {
        return run(n, cdb(cdbHex), null);
    }

    Result run(Nexus n, String cdbHex, byte[] dataOut) {
        return run(n, cdb(cdbHex), dataOut);
    }

    Result run(Nexus n, byte[] cdb, byte[] dataOut) {
        return run(n, cdb, dataOut, dataOut == null ? 0 : dataOut.length);
    }

    Result run(Nexus n, byte[] cdb, byte[] dataOut, int expectedLength) {
        ByteBuf out = dataOut == null ? null : Unpooled.directBuffer(dataOut.length).writeBytes(dataOut);
        ScsiTask task = new ScsiTask(n, 0, pad16(cdb), out, expectedLength, dataOut == null, dataOut != null);
        Reply reply = lu.submit(task).join();
        if (out != null) assertThat(out.refCnt()).as("Data-Out released exactly once").isZero();
        try {
            return new Result(reply, ByteBufUtil.getBytes(reply.response().data()));
        } finally {
            reply.response().release();
        }
    }

    /** The CDB as it arrives in an iSCSI SCSI Command PDU: at least 16 bytes, zero padded. */
    static byte[] pad16(byte[] cdb) {
        return cdb.length >= 16 ? cdb : java.util.Arrays.copyOf(cdb, 16);
    }

    /** Hex with any whitespace; {@code xx*n} repeats a byte. */
    static byte[] cdb(String hex) {
        StringBuilder b = new StringBuilder();
        for (String t : hex.trim().split("\\s+")) {
            int star = t.indexOf('*');
            if (star < 0) b.append(t);
            else b.append(t.substring(0, star).repeat(Integer.parseInt(t.substring(star + 1))));
        }
        return HexFormat.of().parseHex(b.toString());
    }

    static byte[] fill(int length, int value) {
        byte[] b = new byte[length];
        java.util.Arrays.fill(b, (byte) value);
        return b;
    }

    static String be(long v, int bytes) {
        StringBuilder s = new StringBuilder();
        for (int i = bytes - 1; i >= 0; i--) s.append(String.format("%02x", (v >>> (8 * i)) & 0xFF));
        return s.toString();
    }

    static String read10(long lba, int blocks) {
        return "28 00 " + be(lba, 4) + " 00 " + be(blocks, 2) + " 00";
    }

    static String write10(long lba, int blocks) {
        return "2a 00 " + be(lba, 4) + " 00 " + be(blocks, 2) + " 00";
    }

    static String read16(long lba, int blocks) {
        return "88 00 " + be(lba, 8) + be(blocks, 4) + " 00 00";
    }

    static String write16(long lba, int blocks) {
        return "8a 00 " + be(lba, 8) + be(blocks, 4) + " 00 00";
    }

    static String compareAndWrite(long lba, int blocks) {
        return "89 00 " + be(lba, 8) + " 000000 " + be(blocks, 1) + " 00 00";
    }

    static String prOut(int action, int type, int length) {
        return "5f " + be(action, 1) + be(type, 1) + " 0000 " + be(length, 4) + " 00";
    }

    static String prIn(int action, int allocation) {
        return "5e " + be(action, 1) + " 0000000000 " + be(allocation, 2) + " 00";
    }

    /** The 24-byte PERSISTENT RESERVE OUT parameter list. */
    static byte[] prParameters(long key, long serviceActionKey, int flags) {
        return cdb(be(key, 8) + be(serviceActionKey, 8) + "00000000" + be(flags, 1) + "000000");
    }

    @Override
    public void close() {
        device.close();
    }
}
