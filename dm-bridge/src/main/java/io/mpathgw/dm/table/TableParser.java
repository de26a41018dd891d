package io.mpathgw.dm.table;

import io.mpathgw.dm.Registry;
import io.mpathgw.dm.selector.PathSelector;
import io.mpathgw.dm.selector.PathSelectorType;
import io.mpathgw.dm.selector.SelectorPath;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * multipath_ctr's parse, check for check in the kernel's order (spec §1.1–§1.7): features, hardware handler, the
 * two PG counts, then priority groups for as long as words remain, then the count check.
 */
final class TableParser {

    static final ArgSpec FEATURE_ARGS = new ArgSpec(0, 8, "invalid number of feature args");
    static final ArgSpec PG_INIT_RETRIES = new ArgSpec(1, 50, "pg_init_retries must be between 1 and 50");
    static final ArgSpec PG_INIT_DELAY = new ArgSpec(0, 60000, "pg_init_delay_msecs must be between 0 and 60000");
    static final ArgSpec HW_HANDLER_ARGS = new ArgSpec(0, 1024, "invalid number of hardware handler args");
    static final ArgSpec PRIORITY_GROUPS = new ArgSpec(0, 1024, "invalid number of priority groups");
    static final ArgSpec INITIAL_PG = new ArgSpec(0, 1024, "invalid initial priority group number");
    static final ArgSpec SELECTOR_ARGS = new ArgSpec(0, 1024, "invalid number of path selector args");
    static final ArgSpec PATHS = new ArgSpec(1, 1024, "invalid number of paths");
    static final ArgSpec PER_PATH_ARGS = new ArgSpec(0, 1024, "invalid number of selector args");

    static final String UNKNOWN_QUEUE_MODE = "Unknown 'queue_mode' requested";
    static final String UNRECOGNISED_FEATURE = "Unrecognised multipath feature request";
    static final String INVALID_INITIAL_PG = "invalid initial priority group";
    static final String NOT_ENOUGH_PG_ARGS = "not enough priority group arguments";
    static final String UNKNOWN_SELECTOR = "unknown path selector type";
    static final String CONSTRUCTOR_FAILED = "path selector constructor failed";
    static final String NOT_ENOUGH_PATH_PARAMS = "not enough path parameters";
    static final String ERROR_GETTING_DEVICE = "error getting device";
    static final String PG_COUNT_MISMATCH = "priority group count mismatch";
    static final String BIO_HW_ARGS =
            "device-mapper: multipath: bio-based multipath doesn't allow hardware handler args";

    private final Registry<PathSelectorType> selectors;
    private final HandlerAttach attach;
    private final List<String> log = new ArrayList<>();

    TableParser(Registry<PathSelectorType> selectors, HandlerAttach attach) {
        this.selectors = selectors;
        this.attach = attach;
    }

    MultipathTable parse(String params) throws TableException {
        ArgCursor as = new ArgCursor(DmArgs.split(params));
        Features features = parseFeatures(as);
        HwHandlerSpec handler = parseHwHandler(as, features);
        int nrPgs = (int) PRIORITY_GROUPS.read(as);
        int initialPg = (int) INITIAL_PG.read(as);
        if ((nrPgs == 0) != (initialPg == 0))
            throw new TableException(INVALID_INITIAL_PG, "#priority_groups " + nrPgs + ", initial_pg_number "
                    + initialPg + " (expected: both 0 or both at least 1)");
        List<ParsedGroup> groups = new ArrayList<>();
        while (as.remaining() > 0) groups.add(parseGroup(as, groups.size() + 1, handler));
        if (groups.size() != nrPgs)
            throw new TableException(PG_COUNT_MISMATCH, "#priority_groups: " + nrPgs + " (found: " + groups.size()
                    + " groups)");
        return MultipathTable.of(features, handler, initialPg, groups, log);
    }

    /** parse_features: names case-insensitive, last one wins; a value-taking name without a value is unknown. */
    private Features parseFeatures(ArgCursor as) throws TableException {
        long argc = FEATURE_ARGS.readGroup(as);
        FeatureValues f = new FeatureValues();
        while (argc > 0) {
            int at = as.position();
            String name = as.shift();
            argc--;
            if (is(name, "queue_if_no_path")) f.queueIfNoPath = true;
            else if (is(name, "retain_attached_hw_handler")) f.retain = true;
            else if (argc >= 1 && readValue(name, as, f)) argc--;
            else throw new TableException(UNRECOGNISED_FEATURE, "token " + at + ": '" + name + "' (expected: "
                        + "queue_if_no_path, retain_attached_hw_handler, or pg_init_retries, pg_init_delay_msecs, "
                        + "queue_mode with a value inside the feature count)");
        }
        if (f.mode == QueueMode.BIO) f.retain = true;     // alloc_multipath_stage2: bio keeps what is attached
        return new Features(f.queueIfNoPath, f.retries, f.delay, f.retain, f.mode);
    }

    /** The value of a value-taking feature; false when {@code name} is none of them. */
    private static boolean readValue(String name, ArgCursor as, FeatureValues f) throws TableException {
        if (is(name, "pg_init_retries")) f.retries = (int) PG_INIT_RETRIES.read(as);
        else if (is(name, "pg_init_delay_msecs")) f.delay = (int) PG_INIT_DELAY.read(as);
        else if (is(name, "queue_mode")) f.mode = queueMode(as);
        else return false;
        return true;
    }

    private static final class FeatureValues {
        boolean queueIfNoPath;
        boolean retain;
        int retries;
        int delay = Features.DELAY_UNSET;
        QueueMode mode = QueueMode.REQUEST_BASED;
    }

    private static QueueMode queueMode(ArgCursor as) throws TableException {
        int at = as.position();
        String mode = as.shift();
        if (is(mode, "bio")) return QueueMode.BIO;
        if (is(mode, "rq") || is(mode, "mq")) return QueueMode.REQUEST_BASED;
        throw new TableException(UNKNOWN_QUEUE_MODE, "token " + at + ": '" + mode + "' (expected: bio, rq or mq)");
    }

    /** parse_hw_handler: name and params kept; in bio mode all of them consumed and dropped, with a log line. */
    private HwHandlerSpec parseHwHandler(ArgCursor as, Features features) throws TableException {
        int argc = (int) HW_HANDLER_ARGS.readGroup(as);
        if (argc == 0) return HwHandlerSpec.NONE;
        if (features.queueMode() == QueueMode.BIO) {
            as.take(argc);
            log.add(BIO_HW_ARGS);
            return HwHandlerSpec.NONE;
        }
        String name = as.shift();
        return new HwHandlerSpec(name, as.take(argc - 1));
    }

    /** parse_priority_group with parse_path_selector. */
    private ParsedGroup parseGroup(ArgCursor as, int pgNum, HwHandlerSpec handler) throws TableException {
        if (as.remaining() < 2)
            throw new TableException(NOT_ENOUGH_PG_ARGS, "priority group " + pgNum + " at token " + as.position()
                    + ": " + as.remaining() + " word left (expected: at least a selector and its arg count)");
        PathSelectorType type = selectorType(as);
        List<String> selectorArgs = as.take((int) SELECTOR_ARGS.readGroup(as));
        PathSelector selector = create(type, selectorArgs, pgNum);
        int nrPaths = (int) PATHS.read(as);
        int perPathArgs = (int) PER_PATH_ARGS.read(as);
        List<PathSpec> paths = new ArrayList<>(nrPaths);
        List<SelectorPath> added = new ArrayList<>(nrPaths);
        for (int k = 0; k < nrPaths; k++) {
            PathSpec path = parsePath(as, perPathArgs, handler, pgNum);
            SelectorPath p = path::name;
            selector.addPath(p, path.args());          // the selector's own error string, verbatim (§1.7 #23)
            paths.add(path);
            added.add(p);
        }
        return new ParsedGroup(new PriorityGroupSpec(type, selectorArgs, perPathArgs, paths), selector, added);
    }

    private PathSelectorType selectorType(ArgCursor as) throws TableException {
        int at = as.position();
        String name = as.shift();
        return selectors.find(name).orElseThrow(() -> new TableException(UNKNOWN_SELECTOR, "token " + at + ": '"
                + name + "' (expected: " + selectors.all().stream().map(PathSelectorType::name)
                .collect(Collectors.joining(", ")) + ")"));
    }

    private static PathSelector create(PathSelectorType type, List<String> args, int pgNum) throws TableException {
        try {
            return type.create(args);
        } catch (TableException e) {
            throw new TableException(CONSTRUCTOR_FAILED, "priority group " + pgNum + ": " + type.name() + " "
                    + args + ": " + (e.detail().isEmpty() ? e.getMessage() : e.detail()));
        }
    }

    /** parse_path: the device word, the handler set-up, then exactly {@code perPathArgs} selector args. */
    private PathSpec parsePath(ArgCursor as, int perPathArgs, HwHandlerSpec handler, int pgNum)
            throws TableException {
        if (as.remaining() < 1 + perPathArgs)
            throw new TableException(NOT_ENOUGH_PATH_PARAMS, "priority group " + pgNum + " at token "
                    + as.position() + ": " + as.remaining() + " words left (expected: a path and " + perPathArgs
                    + " selector args)");
        int at = as.position();
        String word = as.shift();
        String name = PathIds.canonical(word);
        if (name == null)
            throw new TableException(ERROR_GETTING_DEVICE, "token " + at + ": '" + word
                    + "' (expected: a path id without blanks, or a major:minor that fits a dev_t)");
        if (handler.present()) attach.attach(name, handler);
        return new PathSpec(name, as.take(perPathArgs));
    }

    private static boolean is(String word, String name) {
        return DmArgs.equalsIgnoreAsciiCase(word, name);
    }

    /** A group as parsed, with the selector that vetted its paths (used once, to print the normalised table). */
    record ParsedGroup(PriorityGroupSpec spec, PathSelector selector, List<SelectorPath> paths) {
    }
}
