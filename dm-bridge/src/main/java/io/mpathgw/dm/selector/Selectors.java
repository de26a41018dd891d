package io.mpathgw.dm.selector;

import io.mpathgw.dm.Registry;

import java.util.List;

/** The path selectors, by the names a table gives them. */
public final class Selectors {

    /**
     * The kernel's ti->error when a selector refuses its selector args (spec §1.7 #15): the message of the
     * {@code TableException} that {@link PathSelectorType#create} throws, for the table parser to pass on.
     */
    public static final String CONSTRUCTOR_FAILED = "path selector constructor failed";

    /**
     * The kernel's selectors, looked up by exact kernel name as dm-path-selector.c does. io-affinity is not here:
     * a table naming it fails as "unknown path selector type", as on a kernel without that module.
     */
    public static final Registry<PathSelectorType> REGISTRY = new Registry<>("path selector type", List.of(
            new RoundRobinSelector.Type(),
            new QueueLengthSelector.Type(),
            new ServiceTimeSelector.Type(),
            new HistoricalServiceTimeSelector.Type()));

    /** {@link #REGISTRY} plus mpathgw's own selectors ({@code round-robin-switch}), for tables meant only for us. */
    public static final Registry<PathSelectorType> WITH_EXTENSIONS = new Registry<>("path selector type", List.of(
            new RoundRobinSelector.Type(),
            new QueueLengthSelector.Type(),
            new ServiceTimeSelector.Type(),
            new HistoricalServiceTimeSelector.Type(),
            new RoundRobinSwitchSelector.Type()));

    private Selectors() {
    }
}
