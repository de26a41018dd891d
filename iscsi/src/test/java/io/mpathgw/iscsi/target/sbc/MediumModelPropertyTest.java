package io.mpathgw.iscsi.target.sbc;

import io.mpathgw.iscsi.target.Nexus;
import io.mpathgw.scsi.MemoryBlockDevice;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random sequences of the block commands — WRITE 6/10/12/16, WRITE SAME (also with UNMAP and NDOB), UNMAP,
 * COMPARE AND WRITE (matching and not), ORWRITE, WRITE AND VERIFY — against a byte array model: every READ of
 * every CDB size returns what the model holds, and refused commands change nothing.
 */
class MediumModelPropertyTest {

    private static final int BLOCK = 512;
    private static final int BLOCKS = 96;
    private static final Nexus N = TestLu.A;

    /** One command: kind, lba, block count, a seed for its data. */
    record Op(int kind, int lba, int blocks, int seed) {
        @Override
        public String toString() {
            return String.format("%s(lba %d, %d blocks, seed %d)", KINDS[kind], lba, blocks, seed);
        }
    }

    private static final String[] KINDS = {"WRITE", "WRITE SAME", "WRITE SAME UNMAP", "WRITE SAME NDOB", "UNMAP",
        "COMPARE AND WRITE", "COMPARE AND WRITE (miscompare)", "ORWRITE", "WRITE AND VERIFY", "READ"};

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> op = Combinators.combine(Arbitraries.integers().between(0, KINDS.length - 1),
                Arbitraries.integers().between(0, BLOCKS + 2), Arbitraries.integers().between(0, 20),
                Arbitraries.integers()).as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(25);
    }

    @Property(tries = 60)
    void everyReadMatchesTheModel(@ForAll("ops") List<Op> ops) {
        byte[] model = new byte[BLOCK * BLOCKS];
        try (TestLu t = new TestLu(new MemoryBlockDevice(BLOCK, BLOCKS),
                b -> b.unmappedReadsZero(true).maximumCompareAndWriteLength(255))) {
            for (Op op : ops) apply(t, model, op);
            for (int size : new int[] {6, 10, 12, 16}) {
                byte[] all = t.run(N, read(size, 0, BLOCKS), null).expect(Expect.GOOD).data();
                assertThat(all).as("READ(%d) of the whole medium after %s", size, ops).isEqualTo(model);
            }
        }
    }

    private static void apply(TestLu t, byte[] model, Op op) {
        boolean inRange = op.lba + op.blocks <= BLOCKS;
        int from = op.lba * BLOCK;
        int length = op.blocks * BLOCK;
        byte[] data = pattern(length, op.seed);
        Expect outOfRange = Expect.LBA_OUT_OF_RANGE;
        switch (op.kind) {
            case 0 -> {
                int size = new int[] {6, 10, 12, 16}[Math.floorMod(op.seed, 4)];
                if (size == 6 && op.blocks == 0) return;                 // 0 means 256 in READ/WRITE(6)
                t.run(N, write(size, op.lba, op.blocks), data).expect(inRange ? Expect.GOOD : outOfRange);
                if (inRange) System.arraycopy(data, 0, model, from, length);
            }
            case 1, 2, 3 -> {
                byte[] block = op.kind == 3 ? new byte[BLOCK] : pattern(BLOCK, op.seed);
                if (op.kind == 2) Arrays.fill(block, (byte) 0);          // UNMAP with LBPRZ: reads back as zeroes
                int flags = op.kind == 2 ? 0x08 : op.kind == 3 ? 0x01 : 0;
                String cdb = "93 " + TestLu.be(flags, 1) + TestLu.be(op.lba, 8) + TestLu.be(op.blocks, 4) + "00 00";
                boolean toEnd = op.blocks == 0;
                boolean ok = toEnd ? op.lba <= BLOCKS : inRange;
                t.run(N, TestLu.cdb(cdb), op.kind == 3 ? null : block).expect(ok ? Expect.GOOD : outOfRange);
                int end = toEnd ? BLOCKS : op.lba + op.blocks;
                if (ok) for (int b = op.lba; b < end; b++) System.arraycopy(block, 0, model, b * BLOCK, BLOCK);
            }
            case 4 -> {
                byte[] list = TestLu.cdb("00 16 00 10 00000000" + TestLu.be(op.lba, 8) + TestLu.be(op.blocks, 4)
                        + "00000000");
                t.run(N, TestLu.cdb("42 00 00 00 00 00 00 00 18 00"), list).expect(inRange ? Expect.GOOD : outOfRange);
                if (inRange) Arrays.fill(model, from, from + length, (byte) 0);
            }
            case 5, 6 -> {
                int blocks = Math.max(1, Math.min(op.blocks, 8));
                boolean ok = op.lba + blocks <= BLOCKS;
                byte[] both = new byte[2 * blocks * BLOCK];
                if (ok) System.arraycopy(model, from, both, 0, blocks * BLOCK);
                if (op.kind == 6) both[Math.floorMod(op.seed, blocks * BLOCK)] ^= 0x40;
                byte[] next = pattern(blocks * BLOCK, op.seed);
                System.arraycopy(next, 0, both, blocks * BLOCK, next.length);
                Expect e = !ok ? outOfRange : op.kind == 6 ? Expect.MISCOMPARE.info(Math.floorMod(op.seed,
                        blocks * BLOCK)) : Expect.GOOD;
                t.run(N, TestLu.cdb(TestLu.compareAndWrite(op.lba, blocks)), both).expect(e);
                if (ok && op.kind == 5) System.arraycopy(next, 0, model, from, next.length);
            }
            case 7 -> {
                t.run(N, TestLu.cdb("8b 00 " + TestLu.be(op.lba, 8) + TestLu.be(op.blocks, 4) + "00 00"), data)
                        .expect(inRange ? Expect.GOOD : outOfRange);
                if (inRange) for (int i = 0; i < length; i++) model[from + i] |= data[i];
            }
            case 8 -> {
                t.run(N, TestLu.cdb("2e 02 " + TestLu.be(op.lba, 4) + "00" + TestLu.be(op.blocks, 2) + "00"), data)
                        .expect(inRange ? Expect.GOOD : outOfRange);
                if (inRange) System.arraycopy(data, 0, model, from, length);
            }
            default -> {
                int size = new int[] {10, 12, 16}[Math.floorMod(op.seed, 3)];
                byte[] got = t.run(N, read(size, op.lba, op.blocks), null).expect(inRange ? Expect.GOOD : outOfRange)
                        .data();
                if (inRange) assertThat(got).isEqualTo(Arrays.copyOfRange(model, from, from + length));
            }
        }
    }

    static byte[] read(int size, int lba, int blocks) {
        return rw(size, 0x08, 0x28, 0xA8, 0x88, lba, blocks);
    }

    static byte[] write(int size, int lba, int blocks) {
        return rw(size, 0x0A, 0x2A, 0xAA, 0x8A, lba, blocks);
    }

    private static byte[] rw(int size, int op6, int op10, int op12, int op16, int lba, int blocks) {
        String cdb = switch (size) {
            case 6 -> TestLu.be(op6, 1) + TestLu.be(lba, 3) + TestLu.be(blocks & 0xFF, 1) + "00";
            case 10 -> TestLu.be(op10, 1) + "00" + TestLu.be(lba, 4) + "00" + TestLu.be(blocks, 2) + "00";
            case 12 -> TestLu.be(op12, 1) + "00" + TestLu.be(lba, 4) + TestLu.be(blocks, 4) + "0000";
            default -> TestLu.be(op16, 1) + "00" + TestLu.be(lba, 8) + TestLu.be(blocks, 4) + "0000";
        };
        return TestLu.cdb(cdb);
    }

    static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) b[i] = (byte) (i * 131 + seed * 7 + (i >> 9));
        return b;
    }
}
