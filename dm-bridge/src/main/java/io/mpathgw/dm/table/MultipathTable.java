package io.mpathgw.dm.table;

import io.mpathgw.dm.Registry;
import io.mpathgw.dm.selector.PathSelectorType;
import io.mpathgw.dm.selector.Selectors;

import java.util.List;

/**
 * A multipath target's params (what follows {@code <start> <length> multipath}), parsed and vetted as the kernel's
 * constructor does (spec §1), immutable. {@link #toString()} is the table as {@code dmsetup table} prints it right
 * after the load: normalised, with the kernel's trailing blank (spec §2.2).
 */
public final class MultipathTable {

    private final Features features;
    private final HwHandlerSpec hwHandler;
    private final int initialPg;
    private final List<PriorityGroupSpec> groups;
    private final List<String> log;
    private final String normalised;

    private MultipathTable(Features features, HwHandlerSpec hwHandler, int initialPg,
                           List<PriorityGroupSpec> groups, List<String> log, String normalised) {
        this.features = features;
        this.hwHandler = hwHandler;
        this.initialPg = initialPg;
        this.groups = List.copyOf(groups);
        this.log = List.copyOf(log);
        this.normalised = normalised;
    }

    /** Parses with the kernel's selectors ({@link Selectors#REGISTRY}) and the kernel's handler names. */
    public static MultipathTable parse(String params) throws TableException {
        return parse(params, Selectors.REGISTRY, HandlerAttach.KERNEL_NAMES);
    }

    /** Parses with the given selectors and per-path handler set-up; the first failing check throws. */
    public static MultipathTable parse(String params, Registry<PathSelectorType> selectors, HandlerAttach attach)
            throws TableException {
        return new TableParser(selectors, attach).parse(params);
    }

    static MultipathTable of(Features features, HwHandlerSpec handler, int initialPg,
                             List<TableParser.ParsedGroup> parsed, List<String> log) {
        DmEmit out = new DmEmit();
        TableFormat.header(out, features, features.queueIfNoPath(), handler, parsed.size(),
                initialPgField(initialPg, parsed.size()));
        for (TableParser.ParsedGroup g : parsed) TableFormat.group(out, g.spec().selector(), g.selector(), g.paths());
        List<PriorityGroupSpec> specs = parsed.stream().map(TableParser.ParsedGroup::spec).toList();
        return new MultipathTable(features, handler, initialPg, specs, log, out.toString());
    }

    /** next_pg right after a load: the initial PG when it exists, else (spec §1.4 quirk) none, printed as 1. */
    private static int initialPgField(int initialPg, int nrPgs) {
        if (initialPg >= 1 && initialPg <= nrPgs) return initialPg;
        return nrPgs > 0 ? 1 : 0;
    }

    public Features features() {
        return features;
    }

    public HwHandlerSpec hwHandler() {
        return hwHandler;
    }

    /** initial_pg_number as given (0..1024; may exceed the number of groups, spec §1.4). */
    public int initialPg() {
        return initialPg;
    }

    public List<PriorityGroupSpec> groups() {
        return groups;
    }

    /** Kernel log lines the load would print (e.g. bio mode dropping handler args), in order. */
    public List<String> log() {
        return log;
    }

    @Override
    public String toString() {
        return normalised;
    }
}
