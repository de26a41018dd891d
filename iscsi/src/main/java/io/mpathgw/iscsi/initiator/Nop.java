package io.mpathgw.iscsi.initiator;

import io.mpathgw.iscsi.pdu.Bhs;
import io.mpathgw.iscsi.pdu.Opcode;
import io.mpathgw.iscsi.pdu.Pdu;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * NOP-Out pings (RFC 7143 §11.18): when nothing arrived for {@code interval}, ping; when a ping stays unanswered
 * for {@code timeout}, the connection is dead and is closed. This is what turns a silent (black-holed) portal into
 * a prompt transport error. Driven by the connection's ticker, on its event loop.
 */
final class Nop {

    private final Connection conn;
    private final long intervalNanos;
    private final long timeoutNanos;
    private long lastReceived = System.nanoTime();
    private boolean pingOutstanding;
    private long pingSent;

    Nop(Connection conn, Duration interval, Duration timeout) {
        this.conn = conn;
        this.intervalNanos = interval.toNanos();
        this.timeoutNanos = timeout.toNanos();
    }

    /** How often the connection's ticker should run for these timers: a quarter of the shorter one. */
    long tickNanos() {
        if (intervalNanos <= 0) return Long.MAX_VALUE;
        return Math.max(TimeUnit.MILLISECONDS.toNanos(20), Math.min(intervalNanos, timeoutNanos) / 4);
    }

    void received() {
        lastReceived = System.nanoTime();
    }

    void tick(long now) {
        if (intervalNanos <= 0) return;
        if (pingOutstanding) {
            if (now - pingSent >= timeoutNanos)
                conn.close(String.format("NOP-Out ping unanswered for %d ms (nop timeout)", (now - pingSent) / 1_000_000));
            return;
        }
        if (now - lastReceived >= intervalNanos) ping(now);
    }

    private void ping(long now) {
        Pdu pdu = Pdu.create(conn.channel.alloc(), Opcode.NOP_OUT, null);
        pdu.bhs().finalBit(true).ttt(Bhs.RESERVED_TAG);
        pingSent = now;
        pingOutstanding = true;
        // immediate: a ping must not wait behind a closed CmdSN window
        conn.request(pdu, true).whenComplete((rsp, err) -> {
            pingOutstanding = false;
            if (rsp != null) {
                rsp.release();
                conn.session.pingAnswered();
            }
        });
    }
}
