package io.mpathgw.dm.handler;

import io.mpathgw.scsi.DataDirection;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.ScsiTransport;
import io.mpathgw.scsi.Sense;
import io.mpathgw.scsi.TransportException;
import io.netty.buffer.Unpooled;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A fake path for handler tests: a script of expected commands, each matched byte for byte on its CDB and answered
 * with a canned reply (data built with the scsi package's encoders), then, when the script is used up, an optional
 * responder (a stateful fake array). Every command is recorded with its Data-Out bytes, so tests assert parameter
 * lists byte for byte. A command that matches nothing is recorded as a mismatch and fails as a CLOSED transport;
 * {@link #assertScriptDone()} reports it. Replies complete inside {@code submit} unless delayed on the scheduler.
 * Owns and releases Data-Out, as a transport must; responses are fresh buffers the handler must release.
 */
public final class ScriptedTransport implements ScsiTransport {

    /** One command as the handler sent it. */
    public record Sent(byte[] cdb, DataDirection direction, byte[] dataOut, int expectedLength, Duration timeout) {
        public String cdbHex() {
            return HexFormat.of().formatHex(cdb);
        }

        public String dataHex() {
            return dataOut == null ? "" : HexFormat.of().formatHex(dataOut);
        }

        @Override
        public String toString() {
            return cdbHex() + (dataOut != null ? " data " + dataHex() : "");
        }
    }

    /** What the fake device does with a command. */
    public interface Reply {
        /** Completes {@code f} (or not), possibly later on the scheduler. */
        void deliver(CompletableFuture<ScsiResponse> f, VirtualScheduler scheduler);

        static Reply good(byte[] data) {
            return (f, s) -> f.complete(ScsiResponse.good(Unpooled.wrappedBuffer(data.clone())));
        }

        static Reply good() {
            return good(new byte[0]);
        }

        static Reply check(Sense sense) {
            return (f, s) -> f.complete(new ScsiResponse(ScsiResponse.CHECK_CONDITION, sense, Unpooled.buffer(0), 0,
                    false, false));
        }

        static Reply check(int key, int asc, int ascq) {
            return check(Sense.of(key, asc, ascq));
        }

        /** A status without sense (BUSY, RESERVATION CONFLICT…). */
        static Reply status(int status) {
            return (f, s) -> f.complete(new ScsiResponse(status, null, Unpooled.buffer(0), 0, false, false));
        }

        static Reply fail(TransportException.Kind kind) {
            return (f, s) -> f.completeExceptionally(new TransportException(kind, "scripted"));
        }

        /** The command is never answered: the handler's guard must end it. */
        static Reply never() {
            return (f, s) -> { };
        }

        /** {@code reply}, {@code millis} later. */
        static Reply after(long millis, Reply reply) {
            return (f, s) -> s.schedule(() -> reply.deliver(f, s), millis);
        }
    }

    private record Step(byte[] cdb, Reply reply, String what) {
    }

    private final String name;
    private final VirtualScheduler scheduler;
    private final Deque<Step> script = new ArrayDeque<>();
    private final List<Sent> sent = new ArrayList<>();
    private final List<String> mismatches = new ArrayList<>();
    private Function<Sent, Reply> responder;

    public ScriptedTransport(String name, VirtualScheduler scheduler) {
        this.name = name;
        this.scheduler = scheduler;
    }

    /** The next command must carry exactly {@code cdb}; it gets {@code reply}. */
    public ScriptedTransport expect(byte[] cdb, Reply reply) {
        script.add(new Step(cdb.clone(), reply, HexFormat.of().formatHex(cdb)));
        return this;
    }

    /** {@code times} commands with exactly {@code cdb}, each answered with {@code reply}. */
    public ScriptedTransport expect(int times, byte[] cdb, Reply reply) {
        for (int i = 0; i < times; i++) expect(cdb, reply);
        return this;
    }

    /** Answers whatever comes after the script: a fake array. */
    public ScriptedTransport responder(Function<Sent, Reply> responder) {
        this.responder = responder;
        return this;
    }

    @Override
    public CompletableFuture<ScsiResponse> submit(ScsiCommand c) {
        byte[] data = null;
        if (c.dataOut() != null) {
            data = new byte[c.dataOut().readableBytes()];
            c.dataOut().getBytes(c.dataOut().readerIndex(), data);
            c.dataOut().release();
        }
        Sent s = new Sent(c.cdb().clone(), c.direction(), data, c.expectedLength(), c.timeout());
        sent.add(s);
        CompletableFuture<ScsiResponse> f = new CompletableFuture<>();
        Step step = script.peek();
        if (step != null) {
            script.poll();
            if (java.util.Arrays.equals(step.cdb, s.cdb)) {
                step.reply.deliver(f, scheduler);
                return f;
            }
            mismatches.add("command " + sent.size() + ": " + s.cdbHex() + " (expected: " + step.what + ")");
        } else if (responder != null) {
            responder.apply(s).deliver(f, scheduler);
            return f;
        } else {
            mismatches.add("command " + sent.size() + ": " + s.cdbHex() + " (expected: nothing more)");
        }
        f.completeExceptionally(new TransportException(TransportException.Kind.CLOSED, "not in the script"));
        return f;
    }

    @Override
    public String describe() {
        return name;
    }

    public List<Sent> sent() {
        return sent;
    }

    /** The CDBs sent so far, in hex, for one-line assertions. */
    public List<String> cdbs() {
        return sent.stream().map(Sent::cdbHex).toList();
    }

    public Sent last() {
        return sent.get(sent.size() - 1);
    }

    /** Every scripted command was sent, in order, and nothing else (apart from what the responder took). */
    public void assertScriptDone() {
        List<String> problems = new ArrayList<>(mismatches);
        for (Step s : script) problems.add("not sent: " + s.what);
        if (!problems.isEmpty()) throw new AssertionError(name + ": " + problems + "; sent " + cdbs());
    }
}
