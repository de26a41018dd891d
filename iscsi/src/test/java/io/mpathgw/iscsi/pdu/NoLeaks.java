package io.mpathgw.iscsi.pdu;

import io.netty.buffer.AbstractByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fails a test when Netty's leak detector reports a {@code ByteBuf} that was garbage-collected without being
 * released, instead of leaving a "LEAK:" line in the log for someone to notice. It runs the detector at PARANOID
 * (as the surefire argLine does) and listens on the detector every ByteBuf shares ({@code AbstractByteBuf
 * .leakDetector}; Netty exposes no other hook). After each test it drains what the GC has already found; after
 * each class it forces collections first, so a leak shows up at the latest there. {@link NoLeaksTest} proves
 * that a deliberate leak is caught.
 */
final class NoLeaks implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    private static final Queue<String> LEAKS = new ConcurrentLinkedQueue<>();

    static {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        try {
            Field f = AbstractByteBuf.class.getDeclaredField("leakDetector");
            f.setAccessible(true);
            ((ResourceLeakDetector<?>) f.get(null)).setLeakListener((type, records) -> LEAKS.add(type + records));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot hook Netty's ByteBuf leak detector (AbstractByteBuf changed?)", e);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        drain(true);                     // leaks from earlier classes are not this class's
    }

    @Override
    public void afterEach(ExtensionContext context) {
        assertNoLeaks(drain(false), context.getDisplayName());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        assertNoLeaks(drain(true), context.getDisplayName());
    }

    /** Leak reports so far; with {@code gc}, after a few collections so unreachable buffers are found. */
    static List<String> drain(boolean gc) {
        for (int round = 0; round < (gc ? 4 : 1); round++) {
            if (gc) {
                System.gc();
                sleep();
            }
            // the detector reports while tracking a new buffer, so allocate one of each kind
            ByteBufAllocator.DEFAULT.directBuffer(1).release();
            ByteBufAllocator.DEFAULT.heapBuffer(1).release();
            Unpooled.directBuffer(1).release();
        }
        List<String> found = new ArrayList<>();
        for (String s; (s = LEAKS.poll()) != null; ) found.add(s);
        return found;
    }

    private static void assertNoLeaks(List<String> leaks, String where) {
        assertThat(leaks).as("ByteBuf leaks reported by Netty's ResourceLeakDetector (PARANOID) after %s", where)
                .isEmpty();
    }

    private static void sleep() {
        try {
            Thread.sleep(25);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
