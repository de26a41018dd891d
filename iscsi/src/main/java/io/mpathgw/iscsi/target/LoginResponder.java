package io.mpathgw.iscsi.target;

import io.mpathgw.iscsi.login.LoginStatus;
import io.mpathgw.iscsi.login.NegotiatedParameters;
import io.mpathgw.iscsi.pdu.Bhs;
import io.mpathgw.iscsi.pdu.IscsiProtocolException;
import io.mpathgw.iscsi.pdu.Opcode;
import io.mpathgw.iscsi.pdu.Pdu;
import io.mpathgw.iscsi.text.TextKey;
import io.mpathgw.iscsi.text.TextParameters;
import io.mpathgw.iscsi.text.TextReassembler;
import io.netty.buffer.ByteBuf;

import java.security.SecureRandom;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The login phase of one connection as the responder (RFC 7143 §6, §11.12, §11.13): version check, the stage
 * rules of T/CSG/NSG, the leading request's names and session type, security through {@link ChapResponder},
 * operational keys through {@link OperationalResponder}, the final response with the TSIH, and a Login
 * Response with a non-zero status (then the connection closes) for whatever goes wrong.
 */
final class LoginResponder {

    private static final Logger LOG = Logger.getLogger(LoginResponder.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();
    static final int SECURITY = 0, OPERATIONAL = 1, FULL_FEATURE = 3;

    private final TargetConnection conn;
    private final TextReassembler text = new TextReassembler(TargetConnection.LOGIN_MRDSL * 8);
    private boolean first = true, answeredFirst, failed;
    private int stage;
    private long isid;
    private int itt, cid;
    private String initiatorName, initiatorAlias;
    private TargetNode node;
    private boolean discovery;
    private ChapResponder chap;
    private OperationalResponder operational;

    LoginResponder(TargetConnection conn) {
        this.conn = conn;
    }

    void onPdu(Pdu pdu) {
        if (failed) return;
        try {
            if (pdu.opcode() != Opcode.LOGIN_REQUEST)
                throw new LoginFailure(LoginStatus.INVALID_DURING_LOGIN, "opcode: " + pdu.opcode()
                        + " (expected: Login Request until the login ends, RFC 7143 §6)");
            onRequest(pdu);
        } catch (LoginFailure e) {
            fail(e.status(), e.getMessage());
        } catch (IscsiProtocolException e) {
            fail(LoginStatus.INITIATOR_ERROR, e.getMessage());
        }
    }

    private void onRequest(Pdu pdu) throws LoginFailure {
        Bhs b = pdu.bhs();
        itt = b.itt();
        if (first) leading(b);
        int csg = b.csg(), nsg = b.nsg();
        boolean transit = b.transit();
        checkStages(csg, nsg, transit, b.continueBit());
        Optional<TextParameters> keys = text.add(pdu.data(), b.continueBit());
        if (keys.isEmpty()) {                         // RFC 7143 §11.12.2: more text follows, answer empty
            respond(false, csg, 0, new TextParameters(), 0);
            return;
        }
        TextParameters in = keys.get();
        TextParameters out = new TextParameters();
        if (first) names(in, out);
        first = false;
        stage = csg;
        if (csg == SECURITY) {
            chap.onKeys(in, out);
        } else {
            if (!chap.done())
                throw new LoginFailure(LoginStatus.AUTHENTICATION_FAILURE,
                        "CSG: 1 without authentication (expected: CHAP in the security stage, the target requires it)");
            if (in.keys().stream().anyMatch(k -> TextKey.byName(k).map(x -> x.use() == TextKey.Use.SECURITY).orElse(false)))
                throw new LoginFailure(LoginStatus.INITIATOR_ERROR, "security keys in the operational stage (RFC 7143 §6.3)");
        }
        operational.onKeys(in, out);
        if (csg == OPERATIONAL) operational.declare(out);
        boolean leave = transit && (csg != SECURITY || chap.done());
        if (transit && csg == SECURITY && !chap.done() && chap.required() && !in.contains(TextKey.AUTH_METHOD.wireName())
                && !in.contains(TextKey.CHAP_A.wireName()))
            throw new LoginFailure(LoginStatus.AUTHENTICATION_FAILURE, "T bit in the security stage before CHAP finished");
        if (leave && nsg == FULL_FEATURE) {
            operational.declare(out);
            leave = operational.readyForFullFeature(out);
        }
        if (leave && nsg == FULL_FEATURE) finish(csg, out);
        else respond(leave, csg, leave ? nsg : 0, out, 0);
    }

    /** The leading Login Request: version, ISID, TSIH, CmdSN (RFC 7143 §11.12). */
    private void leading(Bhs b) throws LoginFailure {
        isid = b.isid();
        cid = b.cid();
        conn.window().start(b.cmdSn());
        // RFC 7143 §11.12.4: we implement version 0x00 only
        if (b.versionMinOrActive() > 0 || b.versionMax() < b.versionMinOrActive())
            throw new LoginFailure(LoginStatus.UNSUPPORTED_VERSION, String.format(
                    "VersionMin/VersionMax: %d/%d (expected: a range including 0)", b.versionMinOrActive(), b.versionMax()));
        if (b.tsih() != 0) {
            TargetSession s = conn.target.registry().byTsih(b.tsih());
            if (s == null)
                throw new LoginFailure(LoginStatus.SESSION_DOES_NOT_EXIST, "TSIH: " + b.tsih() + " (expected: 0 or a live session)");
            throw new LoginFailure(LoginStatus.TOO_MANY_CONNECTIONS, "TSIH: " + b.tsih()
                    + " (expected: 0; MaxConnections=1, the session has its connection)");
        }
    }

    private void checkStages(int csg, int nsg, boolean transit, boolean cont) throws LoginFailure {
        if (csg != SECURITY && csg != OPERATIONAL)
            throw new LoginFailure(LoginStatus.INITIATOR_ERROR, "CSG: " + csg + " (expected: 0 or 1, RFC 7143 §11.12.3)");
        if (!first && csg != stage && !(stage == SECURITY && csg == OPERATIONAL && answeredTransitTo(OPERATIONAL)))
            throw new LoginFailure(LoginStatus.INITIATOR_ERROR, "CSG: " + csg + " (expected: " + stage + ", the stage we are in)");
        if (transit && (nsg <= csg || nsg == 2))
            throw new LoginFailure(LoginStatus.INITIATOR_ERROR, "NSG: " + nsg + " (expected: a later stage than CSG " + csg + ")");
        if (transit && cont)
            throw new LoginFailure(LoginStatus.INITIATOR_ERROR, "T and C both set (expected: T=0 while C=1, RFC 7143 §11.12.2)");
    }

    private int lastTransitNsg = -1;

    private boolean answeredTransitTo(int nsg) {
        return lastTransitNsg == nsg;
    }

    /** InitiatorName, SessionType and TargetName of the leading request (RFC 7143 §13.4, §13.5, §13.21). */
    private void names(TextParameters in, TextParameters out) throws LoginFailure {
        initiatorName = in.first(TextKey.INITIATOR_NAME).orElseThrow(() ->
                new LoginFailure(LoginStatus.MISSING_PARAMETER, "InitiatorName: missing (expected: in the leading Login Request)"));
        initiatorAlias = in.first(TextKey.INITIATOR_ALIAS).orElse(null);
        String type = in.first(TextKey.SESSION_TYPE).orElse("Normal");
        if (!type.equals("Normal") && !type.equals("Discovery"))
            throw new LoginFailure(LoginStatus.SESSION_TYPE_NOT_SUPPORTED, "SessionType: " + type + " (expected: Normal or Discovery)");
        discovery = type.equals("Discovery");
        if (conn.portal.refusingLogin())
            throw new LoginFailure(LoginStatus.SERVICE_UNAVAILABLE, "logins refused on portal " + conn.portal.describe());
        if (!discovery) {
            String name = in.first(TextKey.TARGET_NAME).orElseThrow(() ->
                    new LoginFailure(LoginStatus.MISSING_PARAMETER, "TargetName: missing (expected: in a normal session's leading request)"));
            node = conn.target.target(name).orElseThrow(() -> conn.target.wasRemoved(name)
                    ? new LoginFailure(LoginStatus.TARGET_REMOVED, "TargetName: " + name + " (removed from this target)")
                    : new LoginFailure(LoginStatus.NOT_FOUND, "TargetName: " + name + " (expected: a target of this portal)"));
            if (!node.allows(initiatorName))
                throw new LoginFailure(LoginStatus.AUTHORIZATION_FAILURE, "InitiatorName: " + initiatorName
                        + " (expected: one of the target's allowed initiators)");
            out.add(TextKey.TARGET_PORTAL_GROUP_TAG, Integer.toString(conn.portal.portalGroupTag()));   // §13.9
            node.alias().ifPresent(a -> out.add(TextKey.TARGET_ALIAS, a));
        }
        chap = new ChapResponder(node, conn.target.settings().chapAlgorithms(), RANDOM);
        operational = new OperationalResponder(conn.target.settings(), discovery, node);
    }

    /** The final Login Response: the session exists from here on, with its TSIH (RFC 7143 §6.3, §11.13). */
    private void finish(int csg, TextParameters out) {
        NegotiatedParameters p = operational.result();
        SessionRegistry.SessionKey key = new SessionRegistry.SessionKey(initiatorName, isid,
                node == null ? "" : node.name(), conn.portal.portalGroupTag());
        TargetSession s = new TargetSession(key, initiatorAlias, node, conn.portal, p, conn);
        TargetSession old = conn.target.registry().register(s);
        if (node != null && conn.target.targets().get(node.name()) != node) {
            // removed while we logged in; IscsiTarget.removeTarget swept the sessions before we registered
            conn.target.registry().remove(s);
            if (old != null) old.drop("reinstated by a login to a removed target node");
            fail(LoginStatus.TARGET_REMOVED, "TargetName: " + node.name() + " (removed during the login)");
            return;
        }
        respond(true, csg, FULL_FEATURE, out, s.tsih());
        conn.enterFullFeature(s, p, cid);
        if (old != null) old.drop("reinstated by a new login with the same initiator name and ISID (RFC 7143 §6.3.5)");
    }

    private void respond(boolean transit, int csg, int nsg, TextParameters keys, int tsih) {
        if (transit) lastTransitNsg = nsg;
        ByteBuf data = conn.alloc().buffer(keys.encodedLength());
        keys.encodeTo(data);
        Pdu pdu = Pdu.create(conn.alloc(), Opcode.LOGIN_RESPONSE, data);
        pdu.bhs().loginStage(transit, csg, nsg).versionMax(0).versionMinOrActive(0).isid(isid).tsih(tsih).itt(itt)
                .loginStatus(0, 0);
        conn.stamp(pdu.bhs(), true);                 // every Login Response counts in StatSN (§11.13.4)
        conn.writeAndFlush(pdu);
        answeredFirst = true;
    }

    /** Ends the login with a non-zero status and closes the connection once the response has left. */
    void fail(LoginStatus status, String why) {
        if (failed) return;
        failed = true;
        LOG.fine(() -> conn.describe() + ": login failed: " + why);
        Pdu pdu = Pdu.create(conn.alloc(), Opcode.LOGIN_RESPONSE, null);
        pdu.bhs().loginStage(false, stage, 0).versionMax(0).versionMinOrActive(0).isid(isid).tsih(0).itt(itt)
                .loginStatus(status.statusClassValue(), status.statusDetail());
        if (first && !answeredFirst) conn.window().start(0);
        conn.stamp(pdu.bhs(), true);
        conn.writeAndFlush(pdu);
        conn.closeAfterFlush("login failed: " + why);
    }

    void release() {
        text.reset();
    }
}
