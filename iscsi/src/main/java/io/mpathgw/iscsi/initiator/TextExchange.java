package io.mpathgw.iscsi.initiator;

import io.mpathgw.iscsi.pdu.Bhs;
import io.mpathgw.iscsi.pdu.IscsiProtocolException;
import io.mpathgw.iscsi.pdu.Opcode;
import io.mpathgw.iscsi.pdu.Pdu;
import io.mpathgw.iscsi.text.TextKey;
import io.mpathgw.iscsi.text.TextParameters;
import io.mpathgw.iscsi.text.TextValues;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Text Request/Response exchanges (RFC 7143 §11.10, §11.11) on a logged-in connection: SendTargets discovery,
 * with long answers fetched PDU by PDU through the Target Transfer Tag, and the answer to a renegotiation
 * request. Runs on the connection's event loop.
 */
final class TextExchange {

    private static final int MAX_TEXT = 1 << 20;

    private TextExchange() {
    }

    static CompletableFuture<List<DiscoveredTarget>> sendTargets(Connection c, String what) {
        TextParameters keys = new TextParameters();
        keys.add("SendTargets", what);
        CompositeByteBuf answer = c.channel.alloc().compositeBuffer(1024);
        CompletableFuture<List<DiscoveredTarget>> result = new CompletableFuture<>();
        exchange(c, keys, Bhs.RESERVED_TAG, c.allocateItt(), answer, result);
        return result;
    }

    private static void exchange(Connection c, TextParameters keys, int ttt, int itt, CompositeByteBuf answer,
                                 CompletableFuture<List<DiscoveredTarget>> result) {
        ByteBuf text = c.channel.alloc().buffer();
        if (keys != null) keys.encodeTo(text);
        Pdu pdu = Pdu.create(c.channel.alloc(), Opcode.TEXT_REQUEST, text);
        pdu.bhs().finalBit(true).ttt(ttt).lun(0);
        c.request(pdu, false, itt).whenComplete((rsp, err) -> {
            if (err != null) {
                answer.release();
                result.completeExceptionally(err);
                return;
            }
            try {
                Bhs b = rsp.bhs();
                if (answer.readableBytes() + rsp.data().readableBytes() > MAX_TEXT)
                    throw new IscsiProtocolException("Text Response: more than " + MAX_TEXT + " bytes");
                answer.addComponent(true, rsp.data().retain());
                if (!b.finalBit() || b.continueBit()) {
                    // RFC 7143 §11.11.1: not final — ask for the rest with an empty request carrying the TTT,
                    // under the same ITT (§11.10.4)
                    exchange(c, null, b.ttt(), itt, answer, result);
                    return;
                }
                result.complete(parse(TextParameters.decode(answer)));
                answer.release();
            } catch (RuntimeException e) {
                answer.release();
                result.completeExceptionally(e);
                c.protocolError(e.getMessage());
            } finally {
                rsp.release();
            }
        });
    }

    /** TargetName starts a record; each TargetAddress after it belongs to that target. */
    static List<DiscoveredTarget> parse(TextParameters keys) {
        List<DiscoveredTarget> out = new ArrayList<>();
        String name = null;
        List<TargetAddress> addrs = new ArrayList<>();
        for (TextParameters.Entry e : keys) {
            if (e.key().equals("TargetName")) {
                if (name != null) out.add(new DiscoveredTarget(name, List.copyOf(addrs)));
                name = e.value();
                addrs.clear();
            } else if (e.key().equals("TargetAddress") && name != null) {
                addrs.add(TargetAddress.parse(e.value()));
            }
        }
        if (name != null) out.add(new DiscoveredTarget(name, List.copyOf(addrs)));
        return out;
    }

    /** RFC 7143 §11.9.1 AsyncEvent 4: answer with a Text Request declaring our receive limit again. */
    static void renegotiate(Connection c) {
        TextParameters keys = new TextParameters();
        keys.add("MaxRecvDataSegmentLength", Integer.toString(c.session.config().maxRecvDataSegmentLength()));
        ByteBuf text = c.channel.alloc().buffer();
        keys.encodeTo(text);
        Pdu pdu = Pdu.create(c.channel.alloc(), Opcode.TEXT_REQUEST, text);
        pdu.bhs().finalBit(true).ttt(Bhs.RESERVED_TAG);
        c.request(pdu, false).whenComplete((rsp, err) -> {
            if (rsp == null) return;
            try {
                TextParameters.decode(rsp.data()).first(TextKey.MAX_RECV_DATA_SEGMENT_LENGTH)
                        .ifPresent(v -> c.targetMaxRecvDataSegmentLength(maxRecvDataSegmentLength(v)));
            } catch (IscsiProtocolException e) {
                c.protocolError(e.getMessage());
            } finally {
                rsp.release();
            }
        });
    }

    /** RFC 7143 §13.12: the target may declare its limit again; Data-Out from now on must respect it. */
    private static int maxRecvDataSegmentLength(String v) {
        TextKey k = TextKey.MAX_RECV_DATA_SEGMENT_LENGTH;
        long n = TextValues.parseNumber(v).orElse(-1);
        if (n < k.min() || n > k.max())
            throw new IscsiProtocolException("MaxRecvDataSegmentLength: " + v + " (expected: " + k.range() + ", "
                    + k.rfc() + "); Text Response");
        return (int) n;
    }
}
