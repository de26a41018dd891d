package io.mpathgw.dm.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpathgw.dm.selector.SelectorScript.TestPath;
import io.mpathgw.dm.table.TableException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;
import org.junit.jupiter.params.provider.CsvSource;

/** Selector and per-path args: what each selector accepts, prints back, and the kernel's error for the rest. */
class SelectorArgsTest {

    @ParameterizedTest(name = "{0} [{1}] path [{2}] -> {3}")
    @CsvFileSource(resources = "/dm/selector/args.cases", delimiter = '|')
    void acceptsOrRefusesAsTheKernel(String type, String selectorArgs, String pathArgs, String group,
                                     String pathTable, String pathInfo) {
        TestPath p = new TestPath("8:16");
        PathSelectorType t = SelectorScript.registry(System::nanoTime).find(type).orElseThrow();
        if (group.startsWith("ERR:")) {
            assertThatThrownBy(() -> t.create(SelectorScript.words(selectorArgs))
                    .addPath(p, SelectorScript.words(pathArgs)))
                    .isInstanceOf(TableException.class).hasMessage(group.substring(4))
                    .satisfies(e -> assertThat(((TableException) e).detail()).isNotBlank());
            return;
        }
        PathSelector s = create(t, selectorArgs);
        add(s, p, pathArgs);
        assertThat(s.groupStatus(StatusType.TABLE)).isEqualTo(group);
        assertThat(s.pathStatus(p, StatusType.TABLE)).isEqualTo(pathTable == null ? "" : pathTable);
        assertThat(s.pathStatus(p, StatusType.INFO)).isEqualTo(pathInfo == null ? "" : pathInfo);
        assertThat(SelectorScript.words(s.groupStatus(StatusType.INFO)))
                .first().isEqualTo(String.valueOf(SelectorScript.words(group).size() - 1));
        assertThat(SelectorScript.words(s.pathStatus(p, StatusType.TABLE))).hasSize(t.tableArgs());
        assertThat(SelectorScript.words(s.pathStatus(p, StatusType.INFO))).hasSize(t.infoArgs());
    }

    @Test
    void registryHoldsTheKernelSelectorsByExactName() {
        assertThat(Selectors.REGISTRY.all()).extracting(PathSelectorType::name, PathSelectorType::tableArgs,
                PathSelectorType::infoArgs).containsExactly(
                org.assertj.core.groups.Tuple.tuple("round-robin", 1, 0),
                org.assertj.core.groups.Tuple.tuple("queue-length", 1, 1),
                org.assertj.core.groups.Tuple.tuple("service-time", 2, 2),
                org.assertj.core.groups.Tuple.tuple("historical-service-time", 1, 3));
        assertThat(Selectors.REGISTRY.find("Round-Robin")).isEmpty();
        assertThat(Selectors.REGISTRY.find("round-robin-switch")).isEmpty();
        assertThat(Selectors.REGISTRY.find("io-affinity")).isEmpty();
        assertThat(Selectors.WITH_EXTENSIONS.find("round-robin-switch")).isPresent();
        assertThat(Selectors.WITH_EXTENSIONS.all()).hasSize(5);
    }

    @Test
    void eachCreateGivesAFreshSelector() throws TableException {
        PathSelectorType t = Selectors.REGISTRY.find("round-robin").orElseThrow();
        assertThat(t.create(List.of())).isNotSameAs(t.create(List.of()));
    }

    @Test
    void addPathErrorsSayWhichPathAndValue() {
        assertThatThrownBy(() -> new ServiceTimeSelector().addPath(new TestPath("p7"), List.of("1", "250")))
                .isInstanceOf(TableException.class)
                .hasMessage("service-time ps: invalid relative_throughput value")
                .extracting(e -> ((TableException) e).detail())
                .isEqualTo("path p7: relative_throughput: '250' (expected: 0..100)");
    }

    @Test
    void aPathIsAddedOnceAndOnlyItsOwnPathsAreKnown() throws TableException {
        RoundRobinSelector s = new RoundRobinSelector();
        TestPath a = new TestPath("a");
        s.addPath(a, List.of());
        assertThatThrownBy(() -> s.addPath(a, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.failPath(new TestPath("a"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a path of this selector: a");
    }

    @ParameterizedTest(name = "{0} {1} -> warned: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            round-robin|2|true
            round-robin|1|false
            round-robin|0|false
            queue-length|128|true
            service-time|1000 50|true
            service-time|2 101|true
            round-robin-switch|4294967295|true
            historical-service-time|5|false
            round-robin|x|false
            """)
    void warnsOnlyWhenRepeatCountIsClamped(String type, String pathArgs, boolean warned) {
        List<LogRecord> records = new ArrayList<>();
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger log = Logger.getLogger("io.mpathgw.dm.selector");
        log.addHandler(h);
        try {
            PathSelector s = create(SelectorScript.registry(System::nanoTime).find(type).orElseThrow(), "");
            try {
                s.addPath(new TestPath("8:16"), SelectorScript.words(pathArgs));
            } catch (TableException expectedForSome) {
                // the warning comes before the relative_throughput check, as in the kernel
            }
        } finally {
            log.removeHandler(h);
        }
        if (warned)
            assertThat(records).singleElement().satisfies(r -> {
                assertThat(r.getLevel()).isEqualTo(Level.WARNING);
                assertThat(r.getMessage()).isEqualTo(
                        "device-mapper: multipath " + type + ": repeat_count > 1 is deprecated, using 1 instead");
            });
        else
            assertThat(records).isEmpty();
    }

    private static PathSelector create(PathSelectorType t, String args) {
        try {
            return t.create(SelectorScript.words(args));
        } catch (TableException e) {
            throw new AssertionError(e.getMessage() + ": " + e.detail(), e);
        }
    }

    private static void add(PathSelector s, TestPath p, String args) {
        try {
            s.addPath(p, SelectorScript.words(args));
        } catch (TableException e) {
            throw new AssertionError(e.getMessage() + ": " + e.detail(), e);
        }
    }
}
