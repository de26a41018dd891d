package io.mpathgw.iscsi.login;

import static io.mpathgw.iscsi.text.TextKey.AUTH_METHOD;
import static io.mpathgw.iscsi.text.TextKey.CHAP_A;
import static io.mpathgw.iscsi.text.TextKey.CHAP_C;
import static io.mpathgw.iscsi.text.TextKey.CHAP_I;
import static io.mpathgw.iscsi.text.TextKey.CHAP_N;
import static io.mpathgw.iscsi.text.TextKey.CHAP_R;

import io.mpathgw.iscsi.text.TextKey;
import io.mpathgw.iscsi.text.TextParameters;
import io.mpathgw.iscsi.text.TextValues;
import java.security.SecureRandom;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.Set;

/**
 * The initiator's SecurityNegotiation stage (RFC 7143 §12.1.3): AuthMethod, then CHAP_A, then our CHAP_N/CHAP_R
 * (with CHAP_I/CHAP_C of our own for mutual CHAP), then the target's CHAP_N/CHAP_R, checked. Keys arrive through
 * {@link #onKey}; {@link #afterResponse} acts once a whole response is in.
 */
final class SecurityNegotiation {

    private static final String RFC = "RFC 7143 §12.1.3";

    private enum Step {
        AUTH_METHOD_SENT(EnumSet.of(AUTH_METHOD)),
        CHAP_A_SENT(EnumSet.of(CHAP_A, CHAP_I, CHAP_C)),
        RESPONSE_SENT(EnumSet.of(CHAP_N, CHAP_R)),
        DONE(EnumSet.noneOf(TextKey.class));

        final Set<TextKey> accepted;

        Step(Set<TextKey> accepted) {
            this.accepted = accepted;
        }
    }

    private final ChapCredentials chap;
    private final Optional<ChapCredentials> mutual;
    private final List<ChapAlgorithm> algorithms;
    private final SecureRandom rnd;
    private final Consumer<String> warnings;
    private final Map<TextKey, String> received = new EnumMap<>(TextKey.class);
    private Step step = Step.AUTH_METHOD_SENT;
    private String authMethod;
    private ChapAlgorithm algorithm;
    private int mutualIdentifier;
    private byte[] mutualChallenge;

    SecurityNegotiation(LoginConfig cfg, SecureRandom rnd, Consumer<String> warnings) {
        this.chap = cfg.chap().orElseThrow();
        this.mutual = cfg.mutualChap();
        this.algorithms = cfg.chapAlgorithms();
        this.rnd = rnd;
        this.warnings = warnings;
    }

    /** Our AuthMethod offer: None is left out when we require the target to authenticate itself. */
    TextParameters offer() {
        return new TextParameters().add(AUTH_METHOD, authOffer());
    }

    void onKey(TextKey key, String value) throws LoginException {
        if (!step.accepted.contains(key))
            throw new LoginException(key.wireName(), Chap.shorten(value), "only " + step.accepted + " now, " + RFC);
        received.put(key, value);
    }

    /** Whether the next request sets the T bit: only once our part of the exchange is sent. */
    boolean wantsTransit() {
        return step == Step.RESPONSE_SENT || step == Step.DONE;
    }

    /**
     * Acts on the response just received.
     *
     * @param transit the target's T bit: it leaves SecurityNegotiation now
     * @return the security keys of the next request (possibly none)
     */
    TextParameters afterResponse(boolean transit) throws LoginException {
        try {
            return switch (step) {
                case AUTH_METHOD_SENT -> onAuthMethod();
                case CHAP_A_SENT -> onChallenge();
                case RESPONSE_SENT, DONE -> onTargetResponse(transit);
            };
        } finally {
            received.clear();
        }
    }

    /** "CHAP", "None", or empty before the target chose. */
    Optional<String> authMethod() {
        return Optional.ofNullable(authMethod);
    }

    Optional<ChapAlgorithm> algorithm() {
        return Optional.ofNullable(algorithm);
    }

    private String authOffer() {
        return mutual.isPresent() ? "CHAP" : "CHAP,None";
    }

    private TextParameters onAuthMethod() throws LoginException {
        String answer = require(AUTH_METHOD, authOffer());
        if (mutual.isPresent() && !answer.equals("CHAP"))
            throw new LoginException("AuthMethod", answer, "CHAP: mutual CHAP is configured, the target must authenticate, " + RFC);
        authMethod = Negotiation.answered(AUTH_METHOD, authOffer(), answer);
        if (authMethod.equals(TextValues.NONE)) {
            warnings.accept("AuthMethod: None (the target does not authenticate us; CHAP user " + chap.user() + " unused)");
            step = Step.DONE;
            return new TextParameters();
        }
        step = Step.CHAP_A_SENT;
        return new TextParameters().add(CHAP_A, Chap.offer(algorithms));
    }

    private TextParameters onChallenge() throws LoginException {
        algorithm = Chap.chosen(require(CHAP_A, "one of " + Chap.offer(algorithms)), algorithms);
        int identifier = Chap.identifier(require(CHAP_I, "a number 0..255"));
        byte[] challenge = Chap.binary("CHAP_C", require(CHAP_C, "a challenge"));
        Chap.checkChallenge(algorithm, challenge);
        TextParameters next = new TextParameters()
                .add(CHAP_N, chap.user())
                .add(CHAP_R, TextValues.hex(Chap.response(algorithm, identifier, chap.secret(), challenge)));
        if (mutual.isPresent()) {
            mutualIdentifier = rnd.nextInt(256);
            mutualChallenge = Chap.newChallenge(algorithm, rnd, challenge);
            next.add(CHAP_I, Integer.toString(mutualIdentifier)).add(CHAP_C, TextValues.hex(mutualChallenge));
        }
        step = Step.RESPONSE_SENT;
        return next;
    }

    private TextParameters onTargetResponse(boolean transit) throws LoginException {
        boolean answered = received.containsKey(CHAP_N) || received.containsKey(CHAP_R);
        if (mutual.isEmpty()) {
            if (answered)
                throw new LoginException("CHAP_R", Chap.shorten(received.getOrDefault(CHAP_R, "(none)")),
                        "none: we sent no challenge, mutual CHAP is not configured, " + RFC);
            step = Step.DONE;                      // the target accepted our response or will reject the login
            return new TextParameters();
        }
        if (answered) {
            verifyTarget(mutual.get());
            step = Step.DONE;
        }
        if (transit && step != Step.DONE)
            throw new LoginException("CHAP_R", "missing when the target left SecurityNegotiation",
                    "the target's response to our CHAP_C, mutual CHAP is configured, " + RFC);
        return new TextParameters();
    }

    private void verifyTarget(ChapCredentials expected) throws LoginException {
        String name = require(CHAP_N, "the target's CHAP name " + expected.user());
        byte[] response = Chap.binary("CHAP_R", require(CHAP_R, "the target's response to our challenge"));
        if (!name.equals(expected.user()))
            throw new LoginException("CHAP_N", "'" + name + "'", "'" + expected.user() + "', the configured mutual CHAP name");
        if (!Chap.verify(algorithm, mutualIdentifier, expected.secret(), mutualChallenge, response))
            throw new LoginException("CHAP_R", Chap.shorten(TextValues.hex(response)), String.format(
                    "%s(CHAP_I %d || secret of %s || our CHAP_C): mutual CHAP failed, the target does not know the secret, %s",
                    algorithm.jcaName(), mutualIdentifier, expected.user(), RFC));
    }

    private String require(TextKey key, String expected) throws LoginException {
        String v = received.get(key);
        if (v == null) throw new LoginException(key.wireName(), "missing", expected + ", " + RFC);
        return v;
    }
}
