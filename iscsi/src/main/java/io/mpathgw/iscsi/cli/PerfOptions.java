package io.mpathgw.iscsi.cli;

import java.time.Duration;

/**
 * What one perf run does.
 *
 * @param write       WRITE(16) a fixed pattern instead of READ(16)
 * @param random      uniformly random offsets aligned to {@code blockSize}, instead of sequential with wrap-around
 * @param bytesPerIo  transfer size of each command ({@code --bs})
 * @param queueDepth  commands kept outstanding ({@code --qd})
 * @param duration    measured time ({@code --seconds})
 * @param warmup      time run before measuring ({@code --warmup}), excluded from every figure
 * @param seed        seed of the random offsets
 */
record PerfOptions(boolean write, boolean random, int bytesPerIo, int queueDepth, Duration duration, Duration warmup,
                   long seed) {

    String describe() {
        return (random ? "random " : "sequential ") + (write ? "write" : "read") + ", " + bytesPerIo + " bytes per I/O, QD "
                + queueDepth + ", " + SessionScope.seconds(duration)
                + (warmup.isZero() ? "" : " after " + SessionScope.seconds(warmup) + " warm-up");
    }
}
