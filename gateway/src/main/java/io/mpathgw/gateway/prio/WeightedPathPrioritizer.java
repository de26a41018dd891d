package io.mpathgw.gateway.prio;

import io.mpathgw.gateway.check.PathIdentity;
import io.mpathgw.scsi.ScsiTransport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code weightedpath} (spec §7.2; multipath-tools' {@code weightedpath.c}): prio_args
 * {@code "<hbtl|devname|serial|wwn> <regex1> <prio1> <regex2> <prio2> …"}. The path's key — its H:C:T:L, its device
 * name, its serial, or {@code hostWWNN:hostWWPN:tgtWWNN:tgtWWPN} — is matched against each regular expression in
 * turn, unanchored; the first match gives the priority, no match gives 0. For an iSCSI path the FC names are
 * "[undef]" and the target node name is the target's IQN, as multipath-tools prints them. Asks the device nothing.
 *
 * <p>Where multipath-tools logs bad arguments and answers 0, this rejects them when created, naming the token.
 */
final class WeightedPathPrioritizer implements Prioritizer {

    static final String NAME = "weightedpath";
    static final String UNDEF = "[undef]";

    private record Rule(Pattern regex, int prio) { }

    private final String key;
    private final Function<PathIdentity, String> keyOf;
    private final List<Rule> rules = new ArrayList<>();

    /** @throws IllegalArgumentException naming the bad token of {@code args} */
    WeightedPathPrioritizer(String args) {
        String[] t = args.trim().isEmpty() ? new String[0] : args.trim().split("\\s+");
        if (t.length == 0)
            throw new IllegalArgumentException("prio_args for weightedpath: \"\" (expected: hbtl|devname|serial|wwn "
                    + "followed by regex/priority pairs)");
        key = t[0];
        keyOf = switch (key) {
            case "hbtl" -> PathIdentity::hcil;
            case "devname" -> PathIdentity::dev;
            case "serial" -> PathIdentity::serial;
            case "wwn" -> WeightedPathPrioritizer::wwn;
            default -> throw new IllegalArgumentException("prio_args for weightedpath, token 1: \"" + key
                    + "\" (expected: hbtl, devname, serial or wwn)");
        };
        if (t.length % 2 == 0)
            throw new IllegalArgumentException("prio_args for weightedpath, token " + t.length + ": \""
                    + t[t.length - 1] + "\" (expected: a priority after it)");
        for (int i = 1; i < t.length; i += 2) rules.add(new Rule(regex(t[i], i + 1), priority(t[i + 1], i + 2)));
    }

    private static Pattern regex(String s, int token) {
        try {
            return Pattern.compile(s);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("prio_args for weightedpath, token " + token + ": \"" + s
                    + "\" (expected: a regular expression; " + e.getDescription() + ")", e);
        }
    }

    private static int priority(String s, int token) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("prio_args for weightedpath, token " + token + ": \"" + s
                    + "\" (expected: an integer priority)", e);
        }
    }

    /** print.c's host WWNN, host WWPN, target node name and target WWPN of a non-FC path. */
    static String wwn(PathIdentity id) {
        return UNDEF + ":" + UNDEF + ":" + (id.target().isEmpty() ? UNDEF : id.target()) + ":" + UNDEF;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The priority of {@code id}: the first rule whose regex occurs in the path's key, else 0. */
    int priority(PathIdentity id) {
        String s = keyOf.apply(id);
        for (Rule r : rules)
            if (r.regex.matcher(s).find()) return r.prio;
        return 0;
    }

    @Override
    public CompletionStage<PrioResult> evaluate(ScsiTransport path, PathIdentity id, Duration timeout) {
        int p = priority(id);
        return CompletableFuture.completedFuture(PrioResult.of(p, NAME + " prio: " + key + " \"" + keyOf.apply(id)
                + "\" -> " + p));
    }
}
