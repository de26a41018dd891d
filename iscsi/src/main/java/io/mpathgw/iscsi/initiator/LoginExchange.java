package io.mpathgw.iscsi.initiator;

import io.mpathgw.iscsi.login.ChapAlgorithm;
import io.mpathgw.iscsi.login.LoginConversation;
import io.mpathgw.iscsi.login.LoginException;
import io.mpathgw.iscsi.login.LoginStatus;
import io.mpathgw.iscsi.login.LoginStep;
import io.mpathgw.iscsi.login.NegotiatedParameters;
import io.mpathgw.iscsi.pdu.Bhs;
import io.mpathgw.iscsi.pdu.IscsiProtocolException;
import io.mpathgw.iscsi.pdu.Opcode;
import io.mpathgw.iscsi.pdu.Pdu;
import io.mpathgw.iscsi.text.TextParameters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;

/**
 * The PDU side of one login (RFC 7143 §6.3, §11.12, §11.13): wraps each {@link LoginStep} of the
 * {@link LoginConversation} in a Login Request, reassembles Login Response text split with the C bit, and turns
 * each response's status into an {@link Outcome}: continue, done, redirect or failure.
 */
final class LoginExchange {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int LOGIN_ITT = 0;
    private static final int MAX_TEXT = 65536;

    private final InitiatorConfig config;
    private final long isid;
    private final int tsih;
    private final LoginConversation conversation;
    private final int cmdSn;
    private int expStatSn;
    private boolean haveStatSn;
    private LoginStep current;
    private CompositeByteBuf pendingText;

    /** What to do after a Login Response. */
    record Outcome(Kind kind, Pdu next, NegotiatedParameters params, String targetAlias,
                   InetSocketAddress redirect, boolean permanent, String reason, boolean retryable) {
        enum Kind { CONTINUE, DONE, REDIRECT, FAILED }

        static Outcome next(Pdu p) { return new Outcome(Kind.CONTINUE, p, null, null, null, false, null, true); }
        static Outcome failed(String reason, boolean retryable) {
            return new Outcome(Kind.FAILED, null, null, null, null, false, reason, retryable);
        }
    }

    LoginExchange(InitiatorConfig config, List<ChapAlgorithm> chapOffer, long isid, int tsih) {
        this.config = config;
        this.isid = isid;
        this.tsih = tsih;
        this.cmdSn = config.initialCmdSn();
        this.conversation = new LoginConversation(LoginConfigs.of(config, chapOffer), RANDOM);
    }

    /**
     * tgt numbers SHA-1 as CHAP_A 7 (a pre-IANA draft), where IANA and every other stack have SHA-256. A target
     * that picked 7 and then refused our SHA-256 response is most likely tgt: the session retries without 7.
     */
    boolean refusedChapSha256(int status) {
        return (status == 0x0200 || status == 0x0201)
                && conversation.chapAlgorithm().filter(a -> a == ChapAlgorithm.SHA256).isPresent();
    }

    int initialCmdSn() {
        return cmdSn;
    }

    Pdu firstRequest(ByteBufAllocator alloc) {
        current = conversation.first();
        return request(alloc, current, false);
    }

    private Pdu request(ByteBufAllocator alloc, LoginStep step, boolean emptyForContinuation) {
        ByteBuf text = alloc.buffer();
        if (!emptyForContinuation) step.keys().encodeTo(text);
        if (text.readableBytes() > 8192) {
            text.release();
            throw new IllegalStateException("login keys: " + text.readableBytes() + " bytes (expected: <= 8192)");
        }
        Pdu pdu = Pdu.create(alloc, Opcode.LOGIN_REQUEST, text);
        pdu.bhs().immediate(true).loginStage(step.transit(), step.csg(), step.nsg())
                .versionMax(0).versionMinOrActive(0).isid(isid).tsih(tsih).itt(LOGIN_ITT).cid(0)
                .cmdSn(cmdSn).expStatSn(expStatSn);
        return pdu;
    }

    Outcome onResponse(Pdu pdu, ByteBufAllocator alloc) {
        Bhs bhs = pdu.bhs();
        checkHeader(bhs);
        if (!haveStatSn || bhs.statusClass() == 0) {
            expStatSn = bhs.statSn() + 1;
            haveStatSn = true;
        }
        int status = bhs.statusClass() << 8 | bhs.statusDetail();
        if (bhs.statusClass() != 0) return notSuccess(status, pdu);
        if (bhs.continueBit()) {
            // RFC 7143 §11.13.3: more text follows; ask for it with an empty request of the same stage
            appendText(alloc, pdu.data());
            return Outcome.next(request(alloc, new LoginStep(current.csg(), current.nsg(), false, current.keys()), true));
        }
        TextParameters keys = decodeKeys(alloc, pdu.data());
        try {
            Optional<LoginStep> next = conversation.onResponse(bhs.csg(), bhs.nsg(), bhs.transit(), keys);
            if (next.isPresent()) {
                current = next.get();
                return Outcome.next(request(alloc, current, false));
            }
            return new Outcome(Outcome.Kind.DONE, null, conversation.result(), conversation.targetAlias().orElse(""),
                    null, false, null, true);
        } catch (LoginException e) {
            return Outcome.failed("login negotiation failed: " + e.getMessage(), false);
        }
    }

    private void checkHeader(Bhs bhs) {
        if (bhs.itt() != LOGIN_ITT)
            throw new IscsiProtocolException(String.format("Login Response ITT: 0x%08x (expected: 0x%08x)", bhs.itt(), LOGIN_ITT));
        if (bhs.statusClass() == 0 && bhs.isid() != isid)   // tgt zeroes the ISID in reject responses
            throw new IscsiProtocolException(String.format("Login Response ISID: %s (expected: %s)",
                    Isid.format(bhs.isid()), Isid.format(isid)));
        if (bhs.statusClass() == 0 && bhs.versionMinOrActive() != 0)
            throw new IscsiProtocolException("Login Response VersionActive: " + bhs.versionMinOrActive() + " (expected: 0)");
    }

    private Outcome notSuccess(int status, Pdu pdu) {
        LoginStatus ls = LoginStatus.of(status >> 8, status & 0xff);
        String name = ls.description();
        if (status >> 8 == 1) {
            TextParameters keys = decodeKeys(pdu.data().alloc(), pdu.data());
            Optional<String> addr = keys.first("TargetAddress");
            if (addr.isEmpty()) return Outcome.failed("login redirect (" + name + ") without TargetAddress", true);
            InetSocketAddress to = TargetAddress.parse(addr.get()).socketAddress();
            return new Outcome(Outcome.Kind.REDIRECT, null, null, null, to, status == 0x0102,
                    "login redirected to " + addr.get() + " (" + name + ")", true);
        }
        if (refusedChapSha256(status))
            return new Outcome(Outcome.Kind.FAILED, null, null, null, null, false, String.format(
                    "login rejected by the target: 0x%04x %s after CHAP_A=7 (SHA-256); retrying without it, "
                            + "as tgt numbers SHA-1 as 7", status, name), true);
        return Outcome.failed(String.format("login rejected by the target: 0x%04x %s", status, name), ls.retryable());
    }

    private void appendText(ByteBufAllocator alloc, ByteBuf data) {
        if (pendingText == null) pendingText = alloc.compositeBuffer();
        if (pendingText.readableBytes() + data.readableBytes() > MAX_TEXT) {
            throw new IscsiProtocolException("Login Response text: more than " + MAX_TEXT + " bytes across C-bit PDUs");
        }
        pendingText.addComponent(true, data.retain());
    }

    private TextParameters decodeKeys(ByteBufAllocator alloc, ByteBuf data) {
        ByteBuf all = data;
        if (pendingText != null) {
            pendingText.addComponent(true, data.retain());
            all = pendingText;
        }
        try {
            return TextParameters.decode(all);          // IscsiProtocolException names the bad key
        } finally {
            if (pendingText != null) {
                pendingText.release();
                pendingText = null;
            }
        }
    }
}
