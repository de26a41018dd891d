package io.mpathgw.dm.table;

import java.util.List;

/**
 * A target message to a multipath map, with the argument checks multipath_message makes before it looks at the map
 * (spec §3): verbs case-insensitive, one word for the two queueing verbs, two for the others. PG numbers and devices
 * are checked against the map when the message is applied.
 *
 * @param argument the PG number or device word as given; null for the queueing verbs
 */
public record DmMessage(Verb verb, String argument) {

    public static final String PREFIX = "device-mapper: multipath: ";

    public enum Verb {
        QUEUE_IF_NO_PATH("queue_if_no_path", 1),
        FAIL_IF_NO_PATH("fail_if_no_path", 1),
        DISABLE_GROUP("disable_group", 2),
        ENABLE_GROUP("enable_group", 2),
        SWITCH_GROUP("switch_group", 2),
        FAIL_PATH("fail_path", 2),
        REINSTATE_PATH("reinstate_path", 2);

        private final String word;
        private final int argc;

        Verb(String word, int argc) {
            this.word = word;
            this.argc = argc;
        }

        /** The verb as the kernel spells it. */
        public String word() {
            return word;
        }

        static Verb find(String word, int argc) {
            for (Verb v : values())
                if (v.argc == argc && DmArgs.equalsIgnoreAsciiCase(v.word, word)) return v;
            return null;
        }
    }

    /** Splits as dm core does, then {@link #parse(List)}. */
    public static DmMessage parse(String text) throws MessageException {
        return parse(DmArgs.split(text));
    }

    /** The words of a message (dm core has already refused an empty one). */
    public static DmMessage parse(List<String> argv) throws MessageException {
        int argc = argv.size();
        if (argc == 1) {
            Verb v = Verb.find(argv.get(0), 1);
            if (v != null) return new DmMessage(v, null);
        }
        if (argc != 2)
            throw invalid("Invalid multipath message arguments. Expected 2 arguments, got " + argc + ".");
        Verb v = Verb.find(argv.get(0), 2);
        if (v == null) throw invalid("Unrecognised multipath message received: " + argv.get(0));
        return new DmMessage(v, argv.get(1));
    }

    private static MessageException invalid(String warning) {
        return new MessageException(Errno.EINVAL, PREFIX + warning);
    }

    @Override
    public String toString() {
        return argument == null ? verb.word : verb.word + " " + argument;
    }
}
