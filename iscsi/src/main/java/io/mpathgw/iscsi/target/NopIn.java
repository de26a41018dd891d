package io.mpathgw.iscsi.target;

import io.mpathgw.iscsi.pdu.Bhs;
import io.mpathgw.iscsi.pdu.Opcode;
import io.mpathgw.iscsi.pdu.Pdu;
import io.netty.util.concurrent.ScheduledFuture;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * NOP-In pings to an idle initiator (RFC 7143 §11.19): after {@code interval} without a PDU from it, a NOP-In
 * with ITT 0xffffffff and a fresh TTT, which the initiator must answer with a NOP-Out carrying that TTT; no
 * answer within {@code timeout} drops the connection. Event loop only.
 */
final class NopIn {

    private final TargetConnection conn;
    private final long intervalNanos, timeoutNanos;
    private ScheduledFuture<?> tick;
    private long lastReceived = System.nanoTime();
    private int pingTtt = Bhs.RESERVED_TAG;
    private long pingSent;

    NopIn(TargetConnection conn, Duration interval, Duration timeout) {
        this.conn = conn;
        this.intervalNanos = interval.toNanos();
        this.timeoutNanos = timeout.toNanos();
    }

    void start() {
        if (intervalNanos <= 0) return;
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(20), Math.min(intervalNanos, timeoutNanos) / 4);
        tick = conn.channel.eventLoop().scheduleAtFixedRate(this::check, period, period, TimeUnit.NANOSECONDS);
    }

    void stop() {
        if (tick != null) tick.cancel(false);
    }

    void received() {
        lastReceived = System.nanoTime();
    }

    void answered(int ttt) {
        if (ttt == pingTtt) pingTtt = Bhs.RESERVED_TAG;
    }

    private void check() {
        long now = System.nanoTime();
        if (pingTtt != Bhs.RESERVED_TAG) {
            if (now - pingSent >= timeoutNanos)
                conn.close(String.format("NOP-In ping unanswered for %d ms", (now - pingSent) / 1_000_000));
            return;
        }
        if (now - lastReceived < intervalNanos) return;
        pingTtt = conn.allocateTtt();
        pingSent = now;
        Pdu pdu = Pdu.create(conn.alloc(), Opcode.NOP_IN, null);
        pdu.bhs().flags(Bhs.F_BIT).lun(0).itt(Bhs.RESERVED_TAG).ttt(pingTtt);
        conn.stamp(pdu.bhs(), false);                // a ping is no response: StatSN does not advance
        conn.writeAndFlush(pdu);
    }
}
