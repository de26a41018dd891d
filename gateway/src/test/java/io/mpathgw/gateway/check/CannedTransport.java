package io.mpathgw.gateway.check;

import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.ScsiTransport;
import io.mpathgw.scsi.Sense;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A transport that answers from a script, for byte-level decoding and timing corner cases the simulator cannot
 * produce (a RESERVATION CONFLICT, a page with an NDU in progress, a transport that never completes). Records every
 * command and every buffer it handed out, so tests can see that each was released.
 */
public final class CannedTransport implements ScsiTransport {

    private final Deque<Function<ScsiCommand, CompletableFuture<ScsiResponse>>> script = new ArrayDeque<>();
    private Function<ScsiCommand, CompletableFuture<ScsiResponse>> otherwise =
            c -> CompletableFuture.failedFuture(new AssertionError("unexpected command 0x" + Integer.toHexString(c.cdb()[0] & 0xFF)));
    public final List<ScsiCommand> commands = new ArrayList<>();
    public final List<ByteBuf> buffers = new ArrayList<>();

    /** The next command gets {@code answer}. */
    public synchronized CannedTransport then(Function<ScsiCommand, CompletableFuture<ScsiResponse>> answer) {
        script.addLast(answer);
        return this;
    }

    /** Every command past the script gets {@code answer}. */
    public synchronized CannedTransport otherwise(Function<ScsiCommand, CompletableFuture<ScsiResponse>> answer) {
        otherwise = answer;
        return this;
    }

    public CannedTransport good(byte[] data) {
        return then(c -> CompletableFuture.completedFuture(response(ScsiResponse.GOOD, null, data)));
    }

    public CannedTransport check(Sense sense) {
        return then(c -> CompletableFuture.completedFuture(response(ScsiResponse.CHECK_CONDITION, sense, new byte[0])));
    }

    public CannedTransport status(int status) {
        return then(c -> CompletableFuture.completedFuture(response(status, null, new byte[0])));
    }

    /** An answer with {@code data} in a tracked buffer. */
    public synchronized ScsiResponse response(int status, Sense sense, byte[] data) {
        ByteBuf b = Unpooled.buffer(data.length).writeBytes(data);
        buffers.add(b);
        return new ScsiResponse(status, sense, b, 0, false, false);
    }

    @Override
    public synchronized CompletableFuture<ScsiResponse> submit(ScsiCommand command) {
        commands.add(command);
        Function<ScsiCommand, CompletableFuture<ScsiResponse>> f = script.isEmpty() ? otherwise : script.pollFirst();
        return f.apply(command);
    }

    /** Operation codes of the commands received, in order. */
    public synchronized List<Integer> opcodes() {
        return commands.stream().map(c -> c.cdb()[0] & 0xFF).toList();
    }

    public synchronized boolean allReleased() {
        return buffers.stream().allMatch(b -> b.refCnt() == 0);
    }

    @Override
    public String describe() {
        return "canned";
    }
}
