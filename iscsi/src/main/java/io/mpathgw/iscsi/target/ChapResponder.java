package io.mpathgw.iscsi.target;

import io.mpathgw.iscsi.login.Chap;
import io.mpathgw.iscsi.login.ChapAlgorithm;
import io.mpathgw.iscsi.login.ChapCredentials;
import io.mpathgw.iscsi.login.LoginException;
import io.mpathgw.iscsi.login.LoginStatus;
import io.mpathgw.iscsi.login.Negotiation;
import io.mpathgw.iscsi.text.TextKey;
import io.mpathgw.iscsi.text.TextParameters;
import io.mpathgw.iscsi.text.TextValues;

import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;

/**
 * The target's side of the SecurityNegotiation stage (RFC 7143 §12.1.3): answers AuthMethod, picks CHAP_A from
 * the initiator's list, sends CHAP_I and a challenge as long as the digest, verifies CHAP_N/CHAP_R against the
 * target's accounts, and for mutual CHAP answers the initiator's CHAP_I/CHAP_C (refusing a reflected challenge).
 */
final class ChapResponder {

    private static final String RFC = "RFC 7143 §12.1.3";

    private enum Step { START, CHAP_CHOSEN, CHALLENGED, DONE }

    private final List<ChapCredentials> accounts;
    private final Optional<ChapCredentials> mutual;
    private final List<ChapAlgorithm> algorithms;
    private final SecureRandom rnd;
    private Step step = Step.START;
    private ChapAlgorithm algorithm;
    private int identifier;
    private byte[] challenge;
    private String user;

    ChapResponder(TargetNode node, List<ChapAlgorithm> algorithms, SecureRandom rnd) {
        this.accounts = node == null ? List.of() : node.chap();
        this.mutual = node == null ? Optional.empty() : node.mutualChap();
        this.algorithms = algorithms;
        this.rnd = rnd;
    }

    /** Whether the target insists on CHAP before the initiator may leave the security stage. */
    boolean required() {
        return !accounts.isEmpty();
    }

    /** Authentication finished: CHAP verified, or AuthMethod=None agreed where nothing is required. */
    boolean done() {
        return step == Step.DONE || step == Step.START && !required();
    }

    /** The CHAP name the initiator authenticated as, if it did. */
    Optional<String> user() {
        return Optional.ofNullable(user);
    }

    /** Answers the security keys of one Login Request into {@code out}. */
    void onKeys(TextParameters in, TextParameters out) throws LoginFailure {
        Optional<String> auth = in.first(TextKey.AUTH_METHOD);
        if (auth.isPresent()) authMethod(auth.get(), out);
        if (in.contains(TextKey.CHAP_A.wireName())) chapA(in.first(TextKey.CHAP_A).get(), out);
        if (in.contains(TextKey.CHAP_R.wireName()) || in.contains(TextKey.CHAP_N.wireName())) response(in, out);
        else if (in.contains(TextKey.CHAP_C.wireName()) || in.contains(TextKey.CHAP_I.wireName()))
            throw new LoginFailure(LoginStatus.INITIATOR_ERROR, "CHAP_I/CHAP_C without CHAP_N and CHAP_R, " + RFC);
    }

    private void authMethod(String offer, TextParameters out) throws LoginFailure {
        if (step != Step.START)
            throw new LoginFailure(LoginStatus.INITIATOR_ERROR, "AuthMethod: offered again (expected: once, " + RFC + ")");
        String answer = respond(TextKey.AUTH_METHOD, required() ? "CHAP" : TextValues.NONE, offer);
        out.add(TextKey.AUTH_METHOD, answer);
        if (answer.equals(TextValues.REJECT))
            throw new LoginFailure(LoginStatus.AUTHENTICATION_FAILURE, "AuthMethod: " + offer
                    + " (expected: " + (required() ? "CHAP, the target requires it" : "None") + ")");
        step = answer.equals("CHAP") ? Step.CHAP_CHOSEN : Step.DONE;
    }

    private void chapA(String offer, TextParameters out) throws LoginFailure {
        if (step != Step.CHAP_CHOSEN)
            throw new LoginFailure(LoginStatus.INITIATOR_ERROR, "CHAP_A: " + offer + " (expected: after AuthMethod=CHAP, " + RFC + ")");
        for (String v : TextValues.parseList(offer)) {
            Optional<ChapAlgorithm> a = TextValues.parseNumber(v).stream().boxed()
                    .flatMap(n -> ChapAlgorithm.byCode(n).stream()).findFirst();
            if (a.isPresent() && algorithms.contains(a.get())) {
                algorithm = a.get();
                break;
            }
        }
        if (algorithm == null)
            throw new LoginFailure(LoginStatus.AUTHENTICATION_FAILURE, "CHAP_A: " + offer + " (expected: one of "
                    + Chap.offer(algorithms) + ", " + RFC + ")");
        identifier = rnd.nextInt(256);
        challenge = Chap.newChallenge(algorithm, rnd, null);     // as long as the digest, at least 16 bytes
        out.add(TextKey.CHAP_A, Integer.toString(algorithm.code()))
                .add(TextKey.CHAP_I, Integer.toString(identifier))
                .add(TextKey.CHAP_C, TextValues.hex(challenge));
        step = Step.CHALLENGED;
    }

    private void response(TextParameters in, TextParameters out) throws LoginFailure {
        if (step != Step.CHALLENGED)
            throw new LoginFailure(LoginStatus.INITIATOR_ERROR, "CHAP_N/CHAP_R before our challenge, " + RFC);
        String name = in.first(TextKey.CHAP_N).orElseThrow(() -> missing("CHAP_N"));
        byte[] r = binary("CHAP_R", in.first(TextKey.CHAP_R).orElseThrow(() -> missing("CHAP_R")));
        Optional<ChapCredentials> account = accounts.stream().filter(c -> c.user().equals(name)).findFirst();
        if (account.isEmpty() || !Chap.verify(algorithm, identifier, account.get().secret(), challenge, r))
            throw new LoginFailure(LoginStatus.AUTHENTICATION_FAILURE, String.format(
                    "CHAP_R of '%s': wrong (expected: %s(CHAP_I || secret || CHAP_C) with a secret of an account of the target)",
                    name, algorithm.jcaName()));
        user = name;
        Optional<String> ci = in.first(TextKey.CHAP_I), cc = in.first(TextKey.CHAP_C);
        if (ci.isPresent() != cc.isPresent())
            throw new LoginFailure(LoginStatus.INITIATOR_ERROR, "mutual CHAP: CHAP_I and CHAP_C must come together, " + RFC);
        if (ci.isPresent()) mutual(ci.get(), cc.get(), out);
        step = Step.DONE;
    }

    /** Mutual CHAP: the target proves it knows its own secret (RFC 7143 §12.1.3). */
    private void mutual(String ci, String cc, TextParameters out) throws LoginFailure {
        if (mutual.isEmpty())
            throw new LoginFailure(LoginStatus.AUTHENTICATION_FAILURE, "mutual CHAP asked for, but the target has no mutual credentials");
        int id;
        try {
            id = Chap.identifier(ci);
        } catch (LoginException e) {
            throw new LoginFailure(LoginStatus.INITIATOR_ERROR, e.getMessage());
        }
        byte[] c = binary("CHAP_C", cc);
        if (java.security.MessageDigest.isEqual(c, challenge))
            throw new LoginFailure(LoginStatus.AUTHENTICATION_FAILURE,
                    "CHAP_C: our own challenge reflected (expected: a different one, " + RFC + ")");
        ChapCredentials m = mutual.get();
        out.add(TextKey.CHAP_N, m.user()).add(TextKey.CHAP_R, TextValues.hex(Chap.response(algorithm, id, m.secret(), c)));
    }

    private static byte[] binary(String field, String value) throws LoginFailure {
        try {
            return Chap.binary(field, value);
        } catch (LoginException e) {
            throw new LoginFailure(LoginStatus.AUTHENTICATION_FAILURE, e.getMessage());
        }
    }

    private static LoginFailure missing(String key) {
        return new LoginFailure(LoginStatus.AUTHENTICATION_FAILURE, key + ": missing (expected: CHAP_N and CHAP_R, " + RFC + ")");
    }

    private static String respond(TextKey key, String ours, String offer) throws LoginFailure {
        try {
            return Negotiation.respond(key, ours, offer);
        } catch (LoginException e) {
            throw new LoginFailure(LoginStatus.INITIATOR_ERROR, e.getMessage());
        }
    }
}
