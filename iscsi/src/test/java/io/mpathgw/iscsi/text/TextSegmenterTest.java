package io.mpathgw.iscsi.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpathgw.iscsi.pdu.IscsiProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class TextSegmenterTest {

    private static final TextParameters KEYS = TextParameters.of("HeaderDigest", "CRC32C,None", "X-a", "b=c");

    @Test
    void cutsAnywhereAndSetsTheCBitOnAllButTheLast() {
        List<TextSegmenter.Segment> segs = TextSegmenter.split(KEYS, 10);
        assertThat(segs).extracting(s -> s.data().toString(StandardCharsets.UTF_8))
                .containsExactly("HeaderDige", "st=CRC32C,", "None\0X-a=b", "=c\0");
        assertThat(segs).extracting(TextSegmenter.Segment::continues).containsExactly(true, true, true, false);
    }

    @Test
    void exactFitIsOneSegment() {
        int n = KEYS.encodedLength();
        List<TextSegmenter.Segment> segs = TextSegmenter.split(KEYS, n);
        assertThat(segs).hasSize(1);
        assertThat(segs.get(0).continues()).isFalse();
        assertThat(TextSegmenter.split(KEYS, n - 1)).hasSize(2);
    }

    @Test
    void emptyKeySetIsOneEmptySegment() {
        TextSegmenter s = new TextSegmenter(new TextParameters(), 8192);
        assertThat(s.hasNext()).isTrue();
        TextSegmenter.Segment seg = s.next();
        assertThat(seg.data().readableBytes()).isZero();
        assertThat(seg.continues()).isFalse();
        assertThat(s.hasNext()).isFalse();
        assertThatThrownBy(s::next).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void rejectsNonPositiveSegmentLength() {
        assertThatThrownBy(() -> new TextSegmenter(KEYS, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxSegmentLength: 0 (expected: >= 1)");
    }

    @Test
    void reassemblerWaitsForCZeroAndLeavesTheBufferToTheCaller() {
        TextReassembler r = new TextReassembler();
        ByteBuf a = Unpooled.copiedBuffer("HeaderDigest=No", StandardCharsets.UTF_8);
        ByteBuf b = Unpooled.copiedBuffer("ne\0", StandardCharsets.UTF_8);
        assertThat(r.add(a, true)).isEmpty();
        assertThat(r.pending()).isTrue();
        assertThat(a.readerIndex()).isZero();
        assertThat(a.refCnt()).isEqualTo(1);
        assertThat(r.add(b, false)).contains(TextParameters.of("HeaderDigest", "None"));
        assertThat(r.pending()).isFalse();
        assertThat(a.release()).isTrue();
        assertThat(b.release()).isTrue();
    }

    @Test
    void reassemblerBoundsASequenceThatNeverEnds() {
        TextReassembler r = new TextReassembler(16);
        ByteBuf a = Unpooled.copiedBuffer("0123456789", StandardCharsets.US_ASCII);
        try {
            r.add(a, true);
            assertThatThrownBy(() -> r.add(a, true)).isInstanceOf(IscsiProtocolException.class)
                    .hasMessage("text data: 20 bytes over 2 PDUs with the C bit (expected: at most 16)");
            assertThat(r.pending()).isFalse();
        } finally {
            a.release();
        }
    }

    @Test
    void reassemblerReportsATruncatedPair() {
        TextReassembler r = new TextReassembler();
        ByteBuf a = Unpooled.copiedBuffer("A=1\0B=", StandardCharsets.US_ASCII);
        try {
            assertThatThrownBy(() -> r.add(a, false)).isInstanceOf(IscsiProtocolException.class)
                    .hasMessageStartingWith("text data: 'B=' at byte 4 has no NUL");
        } finally {
            a.release();
        }
    }

    @Property(tries = 300)
    void splitThenReassembleGivesTheSameKeys(@ForAll("keySets") TextParameters keys,
                                             @ForAll @IntRange(min = 1, max = 300) int maxSegmentLength) {
        TextReassembler r = new TextReassembler();
        TextSegmenter s = new TextSegmenter(keys, maxSegmentLength);
        Optional<TextParameters> out = Optional.empty();
        int segments = 0;
        while (s.hasNext()) {
            TextSegmenter.Segment seg = s.next();
            assertThat(seg.data().readableBytes()).isBetween(seg.continues() ? 1 : 0, maxSegmentLength);
            assertThat(out).as("a key set before the last segment").isEmpty();
            out = r.add(seg.data(), seg.continues());
            seg.data().release();
            segments++;
        }
        assertThat(out).contains(keys);
        assertThat(segments).isEqualTo(Math.max(1, (keys.encodedLength() + maxSegmentLength - 1) / maxSegmentLength));
    }

    @Provide
    Arbitrary<TextParameters> keySets() {
        Arbitrary<String> key = Arbitraries.strings().withCharRange('A', 'Z').withCharRange('a', 'z')
                .withChars("-#.@_+").ofMinLength(1).ofMaxLength(63);
        Arbitrary<String> value = Arbitraries.strings().withCharRange('\u0001', '\ud7ff').withChars("=,=")
                .ofMaxLength(40);
        Arbitrary<TextParameters.Entry> entry = Combinators.combine(key, value).as(TextParameters.Entry::new);
        return entry.list().ofMaxSize(12).map(list -> {
            TextParameters p = new TextParameters();
            list.forEach(e -> p.add(e.key(), e.value()));
            return p;
        });
    }
}
