package io.mpathgw.iscsi.login;

import io.mpathgw.iscsi.text.TextKey;
import io.mpathgw.iscsi.text.TextValues;
import java.util.List;
import java.util.OptionalLong;

/**
 * The result functions of RFC 7143 §6.2 for one key, from either side of an exchange: {@link #answered} checks the
 * responder's answer against our offer, {@link #respond} computes our answer to the peer's offer. Pure functions of
 * the {@link TextKey} table; the target side can use them as well.
 *
 * <ul>
 *   <li>list: the responder picks the first value of the originator's list it supports (or answers Reject);</li>
 *   <li>boolean AND / OR: an offered No (AND) or Yes (OR) decides the result by itself;</li>
 *   <li>numerical minimum / maximum: the answer lies in the key's range and not beyond the offer.</li>
 * </ul>
 */
public final class Negotiation {

    private Negotiation() {
    }

    /**
     * Originator side: we offered {@code offered} for {@code key} and the responder answered {@code answer}.
     *
     * @return the agreed value (numbers in decimal); the key's default after Reject, NotUnderstood or Irrelevant
     * @throws LoginException if the answer is malformed, out of range, or not a result the function allows
     */
    public static String answered(TextKey key, String offered, String answer) throws LoginException {
        if (TextValues.isReserved(answer)) return afterReserved(key, offered, answer);
        return switch (key.kind()) {
            case LIST -> answeredList(key, offered, answer);
            case AND, OR -> answeredBoolean(key, offered, answer);
            case MIN, MAX -> answeredNumber(key, offered, answer);
            default -> throw new IllegalArgumentException(key + ": " + key.kind() + " (expected: a negotiated key)");
        };
    }

    /**
     * Responder side: the peer offered {@code proposed} for {@code key}; {@code ours} is what we support (for a
     * list, our acceptable values in order of preference).
     *
     * @return our answer, which is also the agreed value unless it is Reject
     * @throws LoginException if the offer is malformed or out of the key's range
     */
    public static String respond(TextKey key, String ours, String proposed) throws LoginException {
        if (TextValues.isReserved(proposed))
            throw new LoginException(key.wireName(), proposed, "a value to answer; reserved values only answer an offer, RFC 7143 §6.2");
        return switch (key.kind()) {
            case LIST -> respondList(ours, proposed);
            case AND -> TextValues.bool(bool(key, ours) && bool(key, proposed));
            case OR -> TextValues.bool(bool(key, ours) || bool(key, proposed));
            case MIN -> Long.toString(Math.min(number(key, ours), number(key, proposed)));
            case MAX -> Long.toString(Math.max(number(key, ours), number(key, proposed)));
            default -> throw new IllegalArgumentException(key + ": " + key.kind() + " (expected: a negotiated key)");
        };
    }

    /** A boolean offer that decides the result without an answer: No for AND, Yes for OR. */
    public static boolean decidedByOffer(TextKey key, String offered) {
        return key.kind() == TextKey.Kind.AND && TextValues.NO.equals(offered)
                || key.kind() == TextKey.Kind.OR && TextValues.YES.equals(offered);
    }

    /** A numerical value of {@code key} within its range. */
    public static long number(TextKey key, String value) throws LoginException {
        OptionalLong n = TextValues.parseNumber(value);
        if (n.isEmpty())
            throw new LoginException(key.wireName(), "'" + value + "'", "a number " + key.range() + ", " + key.rfc());
        if (n.getAsLong() < key.min() || n.getAsLong() > key.max())
            throw new LoginException(key.wireName(), value, key.range() + ", " + key.rfc());
        return n.getAsLong();
    }

    private static boolean bool(TextKey key, String value) throws LoginException {
        return TextValues.parseBoolean(value).orElseThrow(() ->
                new LoginException(key.wireName(), "'" + value + "'", "Yes or No, " + key.rfc()));
    }

    private static String answeredList(TextKey key, String offered, String answer) throws LoginException {
        List<String> ours = TextValues.parseList(offered);
        if (answer.contains(",") || !ours.contains(answer))
            throw new LoginException(key.wireName(), answer, "one of " + offered + ", " + key.rfc());
        return answer;
    }

    private static String answeredBoolean(TextKey key, String offered, String answer) throws LoginException {
        boolean theirs = bool(key, answer);
        if (decidedByOffer(key, offered) && theirs != bool(key, offered))
            throw new LoginException(key.wireName(), answer, String.format("%s, the %s with our %s, %s",
                    offered, key.kind(), offered, key.rfc()));
        return TextValues.bool(theirs);
    }

    private static String answeredNumber(TextKey key, String offered, String answer) throws LoginException {
        long theirs = number(key, answer);
        long ours = number(key, offered);
        if (key.kind() == TextKey.Kind.MIN && theirs > ours)
            throw new LoginException(key.wireName(), answer, String.format("at most our %d, the minimum, %s", ours, key.rfc()));
        if (key.kind() == TextKey.Kind.MAX && theirs < ours)
            throw new LoginException(key.wireName(), answer, String.format("at least our %d, the maximum, %s", ours, key.rfc()));
        return Long.toString(theirs);
    }

    private static String respondList(String ours, String proposed) {
        List<String> acceptable = TextValues.parseList(ours);
        for (String v : TextValues.parseList(proposed))
            if (acceptable.contains(v)) return v;
        return TextValues.REJECT;
    }

    /**
     * Reject and NotUnderstood leave the key at its default (RFC 7143 §6.2), which must still be a result our offer
     * allows; Irrelevant means the value does not matter, so the default stands unchecked.
     */
    private static String afterReserved(TextKey key, String offered, String answer) throws LoginException {
        String def = key.defaultValue();
        if (def == null)
            throw new LoginException(key.wireName(), answer, "one of " + offered + ", " + key.rfc());
        if (TextValues.IRRELEVANT.equals(answer)) return def;
        try {
            answered(key, offered, def);
        } catch (LoginException e) {
            throw new LoginException(key.wireName(), answer, String.format(
                    "an answer to our %s; its default %s is no result our offer allows, %s", offered, def, key.rfc()));
        }
        return def;
    }
}
