package io.mpathgw.iscsi.pdu;

import io.mpathgw.iscsi.pdu.PduSamples.DigestMode;
import io.mpathgw.iscsi.pdu.PduSamples.Sample;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Feeds {@value #CASES} random and mutated frames to {@link PduFrameDecoder} in random fragment sizes. Whatever
 * arrives, the decoder may only (a) emit well-formed PDUs, (b) wait, or (c) fail with a DecoderException wrapping
 * an {@link IscsiProtocolException}, after which it emits nothing and throws nothing more. Every buffer written in
 * is released by the end (refCnt 0), every PDU it emits is released by us (release() true), and the channel
 * finishes empty. The corpus starts from valid frames of every opcode, with and without AHS, in every digest
 * mode; half of the mutated frames get recomputed digests so mutations reach past the digest check.
 *
 * <p>Leaks: every case is checked by exact reference counts, which catch a missing release deterministically. The
 * first {@value #PARANOID_CASES} cases also run under Netty's PARANOID leak detector (NoLeaks fails the test on any
 * report); the rest run with the detector off, because PARANOID records a stack trace on every buffer access and
 * would make the 100,000 cases take tens of seconds instead of a few.
 *
 * <p>Reproducible: the seed is fixed ({@code -Dpdu.fuzz.seed=N} picks another) and printed with any failure,
 * together with the case number and the frame in hex.
 */
@ExtendWith(NoLeaks.class)
class PduFuzzTest {

    static final int CASES = 100_000;
    static final int PARANOID_CASES = 10_000;
    private static final long DEFAULT_SEED = 0x15c5_1f00dL;
    private static final int MAX_RECV = 8192;

    private record Seed(byte[] frame, DigestMode mode, boolean fromTarget) {
    }

    private record Outcome(int pdus, boolean failed) {
    }

    @Test
    void randomAndMutatedFramesOnlyEverYieldPdusOrIscsiProtocolExceptions() {
        long seed = Long.getLong("pdu.fuzz.seed", DEFAULT_SEED);
        Random rnd = new Random(seed);
        List<Seed> corpus = corpus();
        int pdus = 0, failures = 0;
        ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
        try {
            for (int n = 0; n < CASES; n++) {
                if (n == PARANOID_CASES) ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
                Outcome o = fuzzOne(rnd, corpus, seed, n);
                pdus += o.pdus();
                failures += o.failed() ? 1 : 0;
            }
        } finally {
            ResourceLeakDetector.setLevel(level);
        }
        // the run must have exercised both outcomes in bulk, or the mutations are not doing their job
        assertThat(pdus).as("PDUs decoded, seed %d", seed).isGreaterThan(CASES / 10);
        assertThat(failures).as("inputs rejected, seed %d", seed).isGreaterThan(CASES / 10);
    }

    private static Outcome fuzzOne(Random rnd, List<Seed> corpus, long seed, int n) {
        Seed base = corpus.get(rnd.nextInt(corpus.size()));
        DigestMode mode = rnd.nextInt(8) == 0 ? DigestMode.values()[rnd.nextInt(4)] : base.mode();
        boolean fromTarget = rnd.nextInt(8) == 0 ? !base.fromTarget() : base.fromTarget();
        byte[] input = mutate(rnd, base, corpus, mode);
        try {
            return feed(rnd, input, mode, fromTarget);
        } catch (Throwable t) {
            throw new AssertionError(String.format("fuzz seed %d (rerun: -Dpdu.fuzz.seed=%d), case %d, digests %s, "
                    + "fromTarget %b, input %s", seed, seed, n, mode, fromTarget, ByteBufUtil.hexDump(input)), t);
        }
    }

    /** Feeds one input in random pieces and checks the decoder's contract; returns what happened. */
    private static Outcome feed(Random rnd, byte[] input, DigestMode mode, boolean fromTarget) {
        EmbeddedChannel ch = new EmbeddedChannel(new PduFrameDecoder(mode.digests(), fromTarget, MAX_RECV));
        List<ByteBuf> written = new ArrayList<>();
        int pdus = 0;
        boolean failed = false;
        for (int at = 0; at < input.length; ) {
            int n = Math.min(input.length - at, 1 + rnd.nextInt(rnd.nextBoolean() ? 8 : 200));
            ByteBuf piece = ByteBufAllocator.DEFAULT.buffer(n).writeBytes(input, at, n);
            written.add(piece);
            at += n;
            boolean failedBefore = failed;
            try {
                ch.writeInbound(piece);
            } catch (DecoderException e) {
                assertThat(failed).as("a second exception after the first: the decoder must discard input").isFalse();
                assertThat(e.getCause()).as("the only failure allowed").isInstanceOf(IscsiProtocolException.class);
                assertThat(e.getCause().getMessage())
                        .matches("^(opcode|DataSegmentLength|HeaderDigest|DataDigest): .*");
                failed = true;
            }
            for (Object o; (o = ch.readInbound()) != null; ) {
                assertThat(o).isInstanceOf(Pdu.class);
                if (failedBefore) ((Pdu) o).release();
                assertThat(failedBefore).as("a PDU after the error (framing is lost: discard everything)").isFalse();
                checkAndRelease((Pdu) o, fromTarget);
                pdus++;
            }
        }
        assertThat(ch.finish()).as("nothing left in the channel").isFalse();
        for (ByteBuf b : written) assertThat(b.refCnt()).as("every input buffer released by the decoder").isZero();
        return new Outcome(pdus, failed);
    }

    /** A PDU that came out must be whole and consistent with its own header. */
    private static void checkAndRelease(Pdu pdu, boolean fromTarget) {
        try {
            Bhs bhs = pdu.bhs();
            assertThat(pdu.refCnt()).isEqualTo(1);
            assertThat(bhs.opcode()).isNotNull();
            assertThat(bhs.opcode().fromTarget()).isEqualTo(fromTarget);
            assertThat(pdu.header().readableBytes()).isEqualTo(Bhs.LENGTH + 4 * bhs.totalAhsLength());
            assertThat(pdu.data().readableBytes()).isEqualTo(bhs.dataSegmentLength()).isLessThanOrEqualTo(MAX_RECV);
        } finally {
            assertThat(pdu.release()).as("released by its last user").isTrue();
        }
        assertThat(pdu.header().refCnt()).isZero();
        assertThat(pdu.data().refCnt()).isZero();
    }

    private static byte[] mutate(Random rnd, Seed base, List<Seed> corpus, DigestMode mode) {
        byte[] b = base.frame().clone();
        switch (rnd.nextInt(10)) {
            case 0 -> b = randomBytes(rnd, rnd.nextInt(400));
            case 1 -> flipBits(rnd, b, 1 + rnd.nextInt(8));
            case 2 -> b = insert(rnd, b, randomBytes(rnd, 1 + rnd.nextInt(16)));
            case 3 -> b = delete(rnd, b);
            case 4 -> b[4] = (byte) rnd.nextInt(256);                                   // TotalAHSLength
            case 5 -> setDsl(b, rnd.nextInt(8) == 0 ? rnd.nextInt(1 << 24) : rnd.nextInt(MAX_RECV + 64));
            case 6 -> b[0] = (byte) (b[0] & 0xc0 | rnd.nextInt(64));                    // any opcode
            case 7 -> b = Arrays.copyOf(b, rnd.nextInt(b.length + 1));                  // truncated
            case 8 -> b = concat(b, corpus.get(rnd.nextInt(corpus.size())).frame(), rnd); // two, junction damaged
            default -> { }                                                              // valid as is
        }
        if (b.length >= Bhs.LENGTH && rnd.nextBoolean()) fixDigests(b, mode);
        return rnd.nextInt(4) == 0 ? concat(b, base.frame(), rnd) : b;                   // something after it
    }

    /** Rewrites header and data digests so that a mutated frame passes them (where its lengths allow). */
    private static void fixDigests(byte[] b, DigestMode mode) {
        int header = Bhs.LENGTH + (b[4] & 0xff) * 4;
        int dsl = PduWire.dataSegmentLength(b);
        int hd = mode.header ? 4 : 0;
        if (mode.header && b.length >= header + 4) putLe(b, header, PduWire.crc32c(b, 0, header));
        int padded = (dsl + 3) & ~3;
        int dataAt = header + hd;
        if (mode.data && dsl > 0 && b.length >= dataAt + padded + 4)
            putLe(b, dataAt + padded, PduWire.crc32c(b, dataAt, padded));
    }

    private static List<Seed> corpus() {
        List<Seed> seeds = new ArrayList<>();
        for (Sample s : PduSamples.all())
            for (DigestMode mode : DigestMode.values())
                for (int dsl : new int[] {0, 1, 3, 4, 13, 48}) {
                    byte[] ahs = dsl == 13 ? PduSamples.extendedCdbAhs(PduSamples.cdb32()) : null;
                    Pdu pdu = s.build(ByteBufAllocator.DEFAULT, PduSamples.data(dsl), ahs);
                    seeds.add(new Seed(PduWire.encodeAndRelease(pdu, mode.digests()), mode, s.opcode().fromTarget()));
                }
        return seeds;
    }

    private static byte[] randomBytes(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    private static void flipBits(Random rnd, byte[] b, int count) {
        for (int i = 0; i < count && b.length > 0; i++) {
            int at = rnd.nextInt(10) < 7 ? rnd.nextInt(Math.min(b.length, Bhs.LENGTH)) : rnd.nextInt(b.length);
            b[at] ^= (byte) (1 << rnd.nextInt(8));
        }
    }

    private static byte[] insert(Random rnd, byte[] b, byte[] extra) {
        int at = rnd.nextInt(b.length + 1);
        byte[] out = new byte[b.length + extra.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(extra, 0, out, at, extra.length);
        System.arraycopy(b, at, out, at + extra.length, b.length - at);
        return out;
    }

    private static byte[] delete(Random rnd, byte[] b) {
        if (b.length == 0) return b;
        int at = rnd.nextInt(b.length);
        int n = 1 + rnd.nextInt(Math.min(16, b.length - at));
        byte[] out = new byte[b.length - n];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(b, at + n, out, at, b.length - at - n);
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b, Random rnd) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        if (rnd.nextBoolean() && out.length > 0)
            out[Math.min(out.length - 1, a.length)] ^= (byte) (1 + rnd.nextInt(255));
        return out;
    }

    private static void setDsl(byte[] b, int dsl) {
        b[5] = (byte) (dsl >> 16);
        b[6] = (byte) (dsl >> 8);
        b[7] = (byte) dsl;
    }

    private static void putLe(byte[] b, int at, int v) {
        for (int i = 0; i < 4; i++) b[at + i] = (byte) (v >>> (8 * i));
    }
}
