package io.mpathgw.iscsi.target;

import io.mpathgw.iscsi.pdu.Bhs;
import io.mpathgw.iscsi.pdu.IscsiProtocolException;
import io.mpathgw.iscsi.pdu.Opcode;
import io.mpathgw.iscsi.pdu.Pdu;
import io.mpathgw.iscsi.text.TextKey;
import io.mpathgw.iscsi.text.TextParameters;
import io.mpathgw.iscsi.text.TextReassembler;
import io.mpathgw.iscsi.text.TextSegmenter;
import io.mpathgw.iscsi.text.TextValues;
import io.netty.buffer.ByteBuf;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * Text Requests in the full feature phase (RFC 7143 §11.10, §11.11): SendTargets (Appendix C) in discovery and
 * normal sessions, declarations of MaxRecvDataSegmentLength, NotUnderstood for keys we do not know. Requests
 * split with the C bit are joined; answers longer than the initiator's MaxRecvDataSegmentLength go out in
 * pieces, each fetched by an empty Text Request carrying the Target Transfer Tag of the previous response.
 * Event loop only.
 */
final class TextResponder {

    private final TargetConnection conn;
    private final TextReassembler request = new TextReassembler();
    private TextSegmenter answer;
    private int answerTtt = Bhs.RESERVED_TAG;

    TextResponder(TargetConnection conn) {
        this.conn = conn;
    }

    void onRequest(Pdu pdu) {
        Bhs b = pdu.bhs();
        if (b.ttt() != Bhs.RESERVED_TAG) {
            if (b.ttt() != answerTtt)
                throw new IscsiProtocolException(String.format("Text Request TTT: 0x%08x (expected: 0x%08x or 0xffffffff)",
                        b.ttt(), answerTtt), 0x09);
            if (answer != null) {                   // the initiator fetches the next piece of our answer
                sendNext(b);
                return;
            }
        } else {
            answer = null;                          // a new request ends an unfinished exchange (§11.10.4)
            answerTtt = Bhs.RESERVED_TAG;
        }
        Optional<TextParameters> keys = request.add(pdu.data(), b.continueBit());
        if (keys.isEmpty()) {                       // more request text follows: ask for it (§11.10.2)
            answerTtt = conn.allocateTtt();
            respond(b, null, false, false, answerTtt);
            return;
        }
        answer = new TextSegmenter(answerTo(keys.get()), conn.initiatorMaxRecvDataSegmentLength());
        sendNext(b);
    }

    private void sendNext(Bhs request) {
        TextSegmenter.Segment s = answer.next();
        boolean more = answer.hasNext();
        if (more) {
            answerTtt = conn.allocateTtt();
        } else {
            answer = null;
            answerTtt = Bhs.RESERVED_TAG;
        }
        respond(request, s.data(), !more, more, answerTtt);
    }

    private void respond(Bhs request, ByteBuf data, boolean fin, boolean cont, int ttt) {
        Pdu rsp = Pdu.create(conn.alloc(), Opcode.TEXT_RESPONSE, data);
        rsp.bhs().flags((fin ? Bhs.F_BIT : 0) | (cont ? Bhs.CONTINUE : 0)).lun(request.lun()).itt(request.itt()).ttt(ttt);
        conn.stamp(rsp.bhs(), true);
        conn.writeAndFlush(rsp);
    }

    private TextParameters answerTo(TextParameters keys) {
        TextParameters out = new TextParameters();
        for (TextParameters.Entry e : keys) {
            Optional<TextKey> k = TextKey.byName(e.key());
            if (e.key().equals(TextKey.SEND_TARGETS.wireName())) {
                sendTargets(e.value(), out);
            } else if (k.isEmpty()) {
                out.add(e.key(), TextValues.NOT_UNDERSTOOD);
            } else if (k.get() == TextKey.MAX_RECV_DATA_SEGMENT_LENGTH) {
                conn.initiatorMaxRecvDataSegmentLength(e.value());
            } else if (k.get() == TextKey.INITIATOR_ALIAS || k.get() == TextKey.NODE_ARCHITECTURE) {
                // declarative, nothing to answer
            } else {
                out.add(e.key(), TextValues.REJECT);     // not negotiable in the full feature phase
            }
        }
        return out;
    }

    /**
     * RFC 7143 Appendix C: "All" lists every target the initiator may see (in a normal session, only the
     * session's target), a target name lists that target, an empty value the session's target.
     */
    private void sendTargets(String what, TextParameters out) {
        TargetSession s = conn.session();
        InetSocketAddress local = (InetSocketAddress) conn.channel.localAddress();
        for (TargetNode t : conn.target.targets().values()) {
            boolean wanted = what.equals("All") ? s.discovery() || t == s.target()
                    : what.isEmpty() ? t == s.target() : what.equals(t.name());
            if (!wanted || !t.allows(s.initiatorName())) continue;
            out.add(TextKey.TARGET_NAME, t.name());
            for (Portal p : conn.target.portals())
                if (!p.killed()) out.add(TextKey.TARGET_ADDRESS, p.targetAddress(local));
        }
    }
}
