package io.mpathgw.iscsi.login;

import static io.mpathgw.iscsi.login.LoginStep.FULL_FEATURE_PHASE;
import static io.mpathgw.iscsi.login.LoginStep.OPERATIONAL_NEGOTIATION;
import static io.mpathgw.iscsi.login.LoginStep.SECURITY_NEGOTIATION;

import io.mpathgw.iscsi.text.TextKey;
import io.mpathgw.iscsi.text.TextParameters;
import io.mpathgw.iscsi.text.TextValues;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The initiator's side of a login at the level of keys and stage bits (RFC 7143 §6.3, §11.12, §11.13), without
 * PDUs: {@link #first()} gives the first Login Request, each successful Login Response goes to
 * {@link #onResponse}, which gives the next request until the target enters the full feature phase.
 *
 * <p>With CHAP configured the login starts in SecurityNegotiation (AuthMethod, CHAP, mutual CHAP), otherwise
 * directly in LoginOperationalNegotiation. Every operational key is offered in one request; the target's answers
 * are checked against the result functions, its own offers are answered in the next request, and we ask to transit
 * (T=1) only while none of our offers is waiting for an answer. Responses with a non-zero status, the C bit and
 * redirects belong to the PDU layer.
 *
 * <p>One per login attempt; not thread-safe (the connection's event loop drives it).
 */
public final class LoginConversation {

    /** A login takes a handful of exchanges; more means a peer that never transits. */
    static final int MAX_RESPONSES = 32;
    private static final System.Logger LOG = System.getLogger(LoginConversation.class.getName());

    private final LoginConfig cfg;
    private final SecurityNegotiation security;
    private final OperationalNegotiation operational;
    private final List<String> warnings = new ArrayList<>();
    /** Every key the target sent in this login, to catch redeclarations. */
    private final Map<String, String> received = new HashMap<>();
    private TextParameters replies = new TextParameters();
    private final List<String> offersWithTransit = new ArrayList<>();
    private final TextParameters extensionKeys = new TextParameters();
    private LoginStep last;
    private int responses;
    private int idle;
    private String targetAlias;
    private Integer targetPortalGroupTag;
    private NegotiatedParameters result;

    public LoginConversation(LoginConfig cfg, SecureRandom rnd) {
        this.cfg = cfg;
        this.security = cfg.chap().isPresent() ? new SecurityNegotiation(cfg, rnd, this::warn) : null;
        this.operational = new OperationalNegotiation(cfg, this::warn);
        cfg.chap().filter(ChapCredentials::weak).ifPresent(c -> warn(weakSecret("chap", c)));
        cfg.mutualChap().filter(ChapCredentials::weak).ifPresent(c -> warn(weakSecret("mutualChap", c)));
    }

    /** The first Login Request. Called once. */
    public LoginStep first() {
        if (last != null) throw new IllegalStateException("first(): already called");
        TextParameters keys = leadingKeys();
        last = security != null
                ? new LoginStep(SECURITY_NEGOTIATION, OPERATIONAL_NEGOTIATION, false, keys.addAll(security.offer()))
                : new LoginStep(OPERATIONAL_NEGOTIATION, FULL_FEATURE_PHASE, true, keys.addAll(operational.offer()));
        return last;
    }

    /**
     * A Login Response with status 0x0000, its C-bit sequence already joined.
     *
     * @return the next Login Request, or empty once the target transited to FullFeaturePhase (T=1, NSG=3)
     * @throws LoginException if the target broke the negotiation rules or failed mutual authentication; the
     *                        login is over and the connection must be closed
     */
    public Optional<LoginStep> onResponse(int csg, int nsg, boolean transit, TextParameters keys) throws LoginException {
        if (last == null || result != null)
            throw new IllegalStateException("onResponse(): " + (last == null ? "first() not called" : "login complete"));
        if (++responses > MAX_RESPONSES)
            throw new LoginException("Login Response", "#" + responses + " in " + LoginStep.stageName(csg),
                    "FullFeaturePhase within " + MAX_RESPONSES + " responses");
        checkStageBits(csg, nsg, transit);
        offersWithTransit.clear();
        for (TextParameters.Entry e : keys) onKey(csg, e.key(), e.value());
        LoginStep next = csg == SECURITY_NEGOTIATION ? afterSecurity(transit) : afterOperational(transit, keys.isEmpty());
        last = next;
        return Optional.ofNullable(next);
    }

    public boolean complete() {
        return result != null;
    }

    /** The agreed parameters, once the target entered the full feature phase. */
    public NegotiatedParameters result() {
        if (result == null) throw new IllegalStateException("result(): login not complete");
        return result;
    }

    /** TargetAlias, if the target declared one (RFC 7143 §13.6: optional). */
    public Optional<String> targetAlias() {
        return Optional.ofNullable(targetAlias);
    }

    /**
     * TargetPortalGroupTag (0..65535) as the target declared it; a target must declare it in a normal session
     * (RFC 7143 §13.9, a warning otherwise), a discovery session may go without.
     */
    public OptionalInt targetPortalGroupTag() {
        return targetPortalGroupTag == null ? OptionalInt.empty() : OptionalInt.of(targetPortalGroupTag);
    }

    /** The X- and X# keys the target sent: answers to ours, or its own (which we answered NotUnderstood). */
    public TextParameters extensionKeys() {
        return new TextParameters().addAll(extensionKeys);
    }

    /** "CHAP" or "None" as agreed; "None" also when no security stage took place. */
    public String authMethod() {
        return security == null ? TextValues.NONE : security.authMethod().orElse(TextValues.NONE);
    }

    public Optional<ChapAlgorithm> chapAlgorithm() {
        return security == null ? Optional.empty() : security.algorithm();
    }

    /** Oddities that did not stop the login (weak secret, ignored keys), also logged at WARNING. */
    public List<String> warnings() {
        return Collections.unmodifiableList(warnings);
    }

    private TextParameters leadingKeys() {
        TextParameters p = new TextParameters().add(TextKey.INITIATOR_NAME, cfg.initiatorName());
        cfg.initiatorAlias().ifPresent(a -> p.add(TextKey.INITIATOR_ALIAS, a));
        p.add(TextKey.SESSION_TYPE, cfg.discovery() ? "Discovery" : "Normal");
        cfg.targetName().ifPresent(t -> p.add(TextKey.TARGET_NAME, t));
        return p;
    }

    /** RFC 7143 §11.13: same stage as our request, T=1 only if we asked, NSG after CSG and not beyond ours. */
    private void checkStageBits(int csg, int nsg, boolean transit) throws LoginException {
        if (csg != last.csg())
            throw new LoginException("CSG", Integer.toString(csg), last.csg() + ", the stage of our request, RFC 7143 §11.13");
        if (transit && !last.transit())
            throw new LoginException("T bit", "1", "0: our request had T=0 and only the initiator starts a transit, RFC 7143 §11.13");
        if (transit && (nsg <= csg || nsg == 2 || nsg > last.nsg()))
            throw new LoginException("NSG", Integer.toString(nsg),
                    (csg + 1 == last.nsg() ? "" : csg + 1 + "..") + last.nsg() + " with T=1 after CSG " + csg + ", RFC 7143 §11.13");
    }

    private void onKey(int csg, String key, String value) throws LoginException {
        String before = received.putIfAbsent(key, value);
        if (before != null) {
            redeclared(key, value, before);
            return;
        }
        Optional<TextKey> known = TextKey.byName(key);
        if (known.isPresent()) onKnownKey(csg, known.get(), value);
        else if (TextKey.isExtension(key)) onExtensionKey(key, value);
        else if (TextValues.isReserved(value)) warn(key + ": " + value + " ignored (we never sent " + key + ")");
        else reply(key, TextValues.NOT_UNDERSTOOD);
    }

    private void onKnownKey(int csg, TextKey key, String value) throws LoginException {
        if (key.use() == TextKey.Use.SECURITY || key.kind() == TextKey.Kind.AUTH) {
            if (csg != SECURITY_NEGOTIATION || security == null)
                throw new LoginException(key.wireName(), Chap.shorten(value) + " in " + LoginStep.stageName(csg),
                        "authentication keys only in SecurityNegotiation after our AuthMethod offer, RFC 7143 §6.3");
            security.onKey(key, value);
        } else if (key.kind() == TextKey.Kind.OBSOLETE) {
            if (!TextValues.isReserved(value)) reply(key.wireName(), TextValues.REJECT);   // RFC 7143 §13.25
        } else if (key.senders() == TextKey.Senders.INITIATOR) {
            throw new LoginException(key.wireName(), value + " from the target", "sent by initiators only, " + key.rfc());
        } else if (key.kind() == TextKey.Kind.DECLARATIVE) {
            declared(key, value);
        } else if (csg == SECURITY_NEGOTIATION) {
            throw new LoginException(key.wireName(), value + " in SecurityNegotiation",
                    "operational keys only in LoginOperationalNegotiation, RFC 7143 §6.3");
        } else {
            Optional<String> answer = operational.onKey(key, value);
            if (answer.isPresent()) {
                reply(key.wireName(), answer.get());
                offersWithTransit.add(key + "=" + value);
            }
        }
    }

    private void declared(TextKey key, String value) throws LoginException {
        switch (key) {
            case TARGET_ALIAS -> targetAlias = value;
            case TARGET_PORTAL_GROUP_TAG -> targetPortalGroupTag = (int) Negotiation.number(key, value);
            case MAX_RECV_DATA_SEGMENT_LENGTH -> operational.onTargetMaxRecvDataSegmentLength(value);
            case NODE_ARCHITECTURE -> extensionKeys.add(key.wireName(), value);
            case TARGET_NAME -> {
                if (!cfg.targetName().map(value::equals).orElse(false))
                    throw new LoginException("TargetName", value, cfg.targetName().orElse("none in a discovery session")
                            + ": a target names targets only in SendTargets answers, " + key.rfc());
            }
            default -> warn(key + "=" + value + " ignored in a successful Login Response");
        }
    }

    private void onExtensionKey(String key, String value) {
        extensionKeys.add(key, value);
        if (!cfg.extensionKeys().contains(key) && !TextValues.isReserved(value)) reply(key, TextValues.NOT_UNDERSTOOD);
    }

    /**
     * RFC 7143 §6.3: a key declared or negotiated twice in one login is an error the initiator must detect. A
     * declaration repeated with the same value is tolerated.
     */
    private void redeclared(String key, String value, String before) throws LoginException {
        boolean declarative = TextKey.byName(key).map(k -> k.kind() == TextKey.Kind.DECLARATIVE).orElse(false);
        if (!declarative || !value.equals(before))
            throw new LoginException(key, Chap.shorten(value) + " a second time (first: " + Chap.shorten(before) + ")",
                    "each key once per login, RFC 7143 §6.3");
        warn(key + "=" + value + " declared twice");
    }

    private LoginStep afterSecurity(boolean transit) throws LoginException {
        TextParameters securityKeys = security.afterResponse(transit);
        if (transit)        // NSG is 1: we never ask to skip operational negotiation
            return new LoginStep(OPERATIONAL_NEGOTIATION, FULL_FEATURE_PHASE, true,
                    takeReplies().addAll(operational.offer()));
        return new LoginStep(SECURITY_NEGOTIATION, OPERATIONAL_NEGOTIATION, security.wantsTransit(),
                takeReplies().addAll(securityKeys));
    }

    private LoginStep afterOperational(boolean transit, boolean emptyResponse) throws LoginException {
        if (transit) {
            if (!offersWithTransit.isEmpty())
                throw new LoginException("Login Response", "offers " + offersWithTransit + " with T=1 to FullFeaturePhase",
                        "no new offers in the final response, they could not be answered, RFC 7143 §6.3");
            result = operational.finish();
            if (targetPortalGroupTag == null && !cfg.discovery())
                warn("TargetPortalGroupTag: not declared (expected: in the first Login Response of a normal session, "
                        + TextKey.TARGET_PORTAL_GROUP_TAG.rfc() + ")");
            return null;
        }
        List<TextKey> open = operational.unanswered();
        TextParameters next = takeReplies();
        idle = emptyResponse && next.isEmpty() && last.keys().isEmpty() ? idle + 1 : 0;
        if (!open.isEmpty() && idle >= 2)
            throw new LoginException(open.get(0).wireName(), "no answer after " + responses + " responses",
                    "an answer to our offer, RFC 7143 §6.2");
        return new LoginStep(OPERATIONAL_NEGOTIATION, FULL_FEATURE_PHASE, open.isEmpty(), next);
    }

    private void reply(String key, String value) {
        replies.add(key, value);
    }

    private TextParameters takeReplies() {
        TextParameters p = replies;
        replies = new TextParameters();
        return p;
    }

    private void warn(String message) {
        warnings.add(message);
        LOG.log(System.Logger.Level.WARNING, "login to " + cfg.targetName().orElse("discovery") + ": " + message);
    }

    private static String weakSecret(String which, ChapCredentials c) {
        return String.format("%s secret of %s: shorter than %d bytes (expected: a random secret of 12..16 bytes or "
                + "more; RFC 7143 §12.1.3 asks for up to 128 random bits)", which, c.user(), ChapCredentials.MIN_SECRET_LENGTH);
    }
}
