package io.mpathgw.gateway.config;

import io.mpathgw.dm.engine.NoPathRetry;
import io.mpathgw.dm.handler.HardwareHandlers;
import io.mpathgw.dm.selector.Selectors;

import java.util.List;
import java.util.Set;
import java.util.regex.PatternSyntaxException;

/**
 * How the value of a multipath.conf keyword is read (libmultipath's dict.c handlers), each returning the typed value
 * or saying what was expected. A name multipath-tools knows that mpathgw does not implement (prio {@code ontap},
 * checker {@code cciss_tur}) is {@link Unsupported}: the setting is dropped with a warning and the next level of
 * precedence applies, so a host's file still loads.
 */
enum ValueType {
    POSITIVE_INT("a whole number >= 1") {
        Object parse(String v) throws Bad {
            return number(v, 1, this);
        }
    },
    STRING("a string") {
        Object parse(String v) {
            return v;
        }
    },
    NON_EMPTY("a non-empty string") {
        Object parse(String v) throws Bad {
            if (v.isEmpty()) throw new Bad(this);
            return v;
        }
    },
    YES_NO("yes or no") {
        Object parse(String v) throws Bad {
            return switch (v) {
                case "yes", "1" -> Boolean.TRUE;
                case "no", "0" -> Boolean.FALSE;
                default -> throw new Bad(this);
            };
        }
    },
    PGPOLICY("failover, multibus, group_by_serial, group_by_prio, group_by_node_name or group_by_tpg") {
        Object parse(String v) throws Bad {
            if (!PGPOLICIES.contains(v)) throw new Bad(this);
            return v;
        }
    },
    SELECTOR("a path selector and its argument count, e.g. \"service-time 0\"") {
        Object parse(String v) throws Bad {
            List<String> w = words(v);
            if (w.size() < 2 || Selectors.WITH_EXTENSIONS.find(w.get(0)).isEmpty() || !counted(w, 1)) throw new Bad(this);
            return String.join(" ", w);
        }
    },
    FEATURES("a count followed by that many words of dm-multipath features: queue_if_no_path, "
            + "retain_attached_hw_handler, pg_init_retries 1..50, pg_init_delay_msecs 0..60000, queue_mode bio|rq|mq") {
        Object parse(String v) throws Bad, Unsupported {
            List<String> w = words(v);
            if (w.isEmpty() || !counted(w, 0)) throw new Bad(this);
            return Features.check(w.subList(1, w.size()), this);
        }
    },
    HWHANDLER("\"0\" or a count and a handler: alua, rdac, emc or hp_sw, e.g. \"1 alua\"") {
        Object parse(String v) throws Bad {
            List<String> w = words(v);
            if (w.isEmpty() || !counted(w, 0)) throw new Bad(this);
            if (w.size() > 1 && HardwareHandlers.REGISTRY.find(w.get(1)).isEmpty()) throw new Bad(this);
            return String.join(" ", w);
        }
    },
    PRIO("const, random, alua, rdac, emc, hp_sw, weightedpath or path_latency") {
        Object parse(String v) throws Bad, Unsupported {
            if (PRIOS.contains(v)) return v;
            if (MT_ONLY_PRIOS.contains(v)) throw new Unsupported("prio '" + v + "' is not implemented by mpathgw");
            throw new Bad(this);
        }
    },
    CHECKER("tur, directio, readsector0, rdac, emc_clariion, hp_sw or none") {
        Object parse(String v) throws Bad, Unsupported {
            if (CHECKERS.contains(v)) return v;
            if (v.equals("cciss_tur")) throw new Unsupported("checker 'cciss_tur' is not implemented by mpathgw");
            throw new Bad(this);
        }
    },
    FAILBACK("immediate, manual, followover or a number of seconds >= 1") {
        Object parse(String v) throws Bad {
            return switch (v) {
                case "immediate" -> Failback.IMMEDIATE;
                case "manual" -> Failback.MANUAL;
                case "followover" -> Failback.FOLLOWOVER;
                default -> Failback.deferred(number(v, 1, this));
            };
        }
    },
    NO_PATH_RETRY("queue, fail or a number of checks >= 1") {
        Object parse(String v) throws Bad {
            try {
                return NoPathRetry.parse(v);
            } catch (IllegalArgumentException e) {
                throw new Bad(this);
            }
        }
    },
    RR_WEIGHT("uniform or priorities") {
        Object parse(String v) throws Bad {
            if (!v.equals("uniform") && !v.equals("priorities")) throw new Bad(this);
            return v;
        }
    },
    FIND_MULTIPATHS("off, on, strict, greedy or smart (no/yes/0/1 also)") {
        Object parse(String v) throws Bad {
            FindMultipaths f = FindMultipaths.parse(v);
            if (f == null) throw new Bad(this);
            return f;
        }
    },
    REGEX("a POSIX extended regular expression") {
        Object parse(String v) throws Bad {
            try {
                return PosixRegex.compile(v);
            } catch (PatternSyntaxException e) {
                throw new Bad(this, e.getDescription());
            }
        }
    };

    static final Set<String> PGPOLICIES = Set.of("failover", "multibus", "group_by_serial", "group_by_prio",
            "group_by_node_name", "group_by_tpg");
    static final Set<String> PRIOS = Set.of("const", "random", "alua", "rdac", "emc", "hp_sw", "weightedpath",
            "path_latency");
    static final Set<String> MT_ONLY_PRIOS = Set.of("sysfs", "ontap", "datacore", "iet", "ana");
    static final Set<String> CHECKERS = Set.of("tur", "directio", "readsector0", "rdac", "emc_clariion", "hp_sw",
            "none");

    final String expected;

    ValueType(String expected) {
        this.expected = expected;
    }

    abstract Object parse(String value) throws Bad, Unsupported;

    /** A value that is wrong: the file does not load. */
    static final class Bad extends Exception {
        Bad(ValueType t) {
            super(t.expected);
        }

        Bad(ValueType t, String detail) {
            super(t.expected + "; " + detail);
        }
    }

    /**
     * A value multipath-tools accepts and mpathgw does not implement: dropped with a warning, or replaced by
     * {@code replacement} (the usable part of it) when that is not null.
     */
    static final class Unsupported extends Exception {
        final Object replacement;

        Unsupported(String why) {
            this(why, null);
        }

        Unsupported(String why, Object replacement) {
            super(why);
            this.replacement = replacement;
        }
    }

    private static int number(String v, int min, ValueType t) throws Bad {
        try {
            int n = Integer.parseInt(v);
            if (n >= min) return n;
        } catch (NumberFormatException e) {
            // not a number: the same error
        }
        throw new Bad(t);
    }

    static List<String> words(String v) {
        String s = v.strip();
        return s.isEmpty() ? List.of() : List.of(s.split("\\s+"));
    }

    /** words[at] is a count of exactly the words after it. */
    private static boolean counted(List<String> w, int at) {
        try {
            return Integer.parseInt(w.get(at)) == w.size() - at - 1;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
