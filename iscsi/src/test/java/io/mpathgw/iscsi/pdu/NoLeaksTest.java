package io.mpathgw.iscsi.pdu;

import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;

import java.util.logging.Filter;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/** The leak check itself: without this, a silent {@link NoLeaks} would make every "no leak" claim vacuous. */
class NoLeaksTest {

    @Test
    void aBufferDroppedWithoutReleaseIsReported() {
        NoLeaks.drain(true);
        // Netty also logs the deliberate leak ("LEAK: …"); keep that line out of the build log, where a LEAK line
        // must always mean a real leak. The detector still reports (the logger stays enabled), only the record
        // naming leakOne is dropped.
        Logger jul = Logger.getLogger(ResourceLeakDetector.class.getName());
        Filter previous = jul.getFilter();
        jul.setFilter(r -> !String.valueOf(r.getMessage()).contains("NoLeaksTest.leakOne")
                && (previous == null || previous.isLoggable(r)));
        try {
            leakOne();
            assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
            assertThat(NoLeaks.drain(true)).as("leak reports after dropping a pooled buffer unreleased")
                    .anySatisfy(report -> assertThat(report).startsWith("ByteBuf").contains("leakOne"));
        } finally {
            jul.setFilter(previous);
        }
    }

    @Test
    void releasedBuffersAreNotReported() {
        NoLeaks.drain(true);
        ByteBufAllocator.DEFAULT.directBuffer(64).writeLong(1).release();
        assertThat(NoLeaks.drain(true)).isEmpty();
    }

    private static void leakOne() {
        ByteBufAllocator.DEFAULT.directBuffer(64).writeLong(0x1ea4);
    }
}
