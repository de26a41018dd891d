package io.mpathgw.dm.table;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random valid tables round-trip (issue 8, STYLE §8): parse → print → parse → print is stable, and the printed
 * table keeps the groups and paths. Random word soup never fails with anything but a TableException.
 */
class TableRoundTripProperties {

    @Property(tries = 500)
    void printedTableIsAFixedPoint(@ForAll("validTables") String params) throws TableException {
        MultipathTable first = MultipathTable.parse(params);
        String printed = first.toString();
        MultipathTable second = MultipathTable.parse(printed);
        assertThat(second.toString()).isEqualTo(printed);
        assertThat(printed).endsWith(" ");
        assertThat(second.groups()).hasSameSizeAs(first.groups());
        for (int g = 0; g < first.groups().size(); g++)
            assertThat(second.groups().get(g).paths()).extracting(PathSpec::name)
                    .isEqualTo(first.groups().get(g).paths().stream().map(PathSpec::name).toList());
    }

    @Property(tries = 1000)
    void wordSoupFailsOnlyWithTheKernelsErrors(@ForAll("wordSoup") String params) {
        try {
            MultipathTable.parse(params);
        } catch (TableException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<String> validTables() {
        Arbitrary<String> features = feature().list().ofMaxSize(4)
                .filter(fs -> fs.stream().mapToInt(f -> f.split(" ").length).sum() <= 8)
                .map(fs -> fs.stream().mapToInt(f -> f.split(" ").length).sum() + join(fs));
        Arbitrary<String> handler = Arbitraries.oneOf(Arbitraries.just("0"),
                Arbitraries.of("rdac", "hp_sw").map(n -> "1 " + n),
                Combinators.combine(Arbitraries.of("alua", "emc"), Arbitraries.of("0", "1").list().ofMaxSize(2))
                        .as((n, ps) -> (1 + ps.size()) + " " + n + join(ps)));
        Arbitrary<List<String>> groups = group().list().ofMinSize(1).ofMaxSize(4);
        return Combinators.combine(features, handler, groups, Arbitraries.integers().between(1, 6))
                .as((f, h, gs, initial) -> f + " " + h + " " + gs.size() + " " + initial + join(gs));
    }

    private static Arbitrary<String> feature() {
        return Arbitraries.oneOf(
                Arbitraries.of("queue_if_no_path", "Queue_If_No_Path", "retain_attached_hw_handler"),
                Arbitraries.integers().between(1, 50).map(n -> "pg_init_retries " + n),
                Arbitraries.integers().between(0, 60000).map(n -> "pg_init_delay_msecs " + n),
                Arbitraries.of("bio", "rq", "mq", "BIO").map(m -> "queue_mode " + m));
    }

    private static Arbitrary<String> group() {
        return Arbitraries.of("round-robin", "queue-length", "service-time", "historical-service-time")
                .flatMap(sel -> Combinators.combine(selectorArgs(sel), pathArgCount(sel),
                                pathName().list().ofMinSize(1).ofMaxSize(4))
                        .flatAs((sargs, nArgs, names) -> pathArgs(sel, nArgs).list().ofSize(names.size())
                                .map(args -> {
                                    List<String> paths = new ArrayList<>();
                                    for (int k = 0; k < names.size(); k++) paths.add(names.get(k) + args.get(k));
                                    return sel + " " + sargs + " " + names.size() + " " + nArgs + join(paths);
                                })));
    }

    private static Arbitrary<String> selectorArgs(String selector) {
        if (!selector.equals("historical-service-time"))
            return Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(4).list().ofMaxSize(2)
                    .map(a -> a.size() + join(a));
        return Arbitraries.integers().between(0, 1023).list().ofMaxSize(1).flatMap(base ->
                base.isEmpty() ? Arbitraries.just("0")
                        : Arbitraries.longs().between(0, 4294967295L).list().ofMaxSize(1)
                        .map(m -> (1 + m.size()) + " " + base.get(0) + join(m.stream().map(String::valueOf).toList())));
    }

    private static Arbitrary<Integer> pathArgCount(String selector) {
        return Arbitraries.integers().between(0, selector.equals("service-time") ? 2 : 1);
    }

    /** " a b" for the per-path args of one path. */
    private static Arbitrary<String> pathArgs(String selector, int n) {
        Arbitrary<String> repeat = Arbitraries.longs().between(0, 4294967295L).map(String::valueOf);
        if (n == 0) return Arbitraries.just("");
        if (n == 1) return repeat.map(r -> " " + r);
        return Combinators.combine(repeat, Arbitraries.integers().between(0, 100)).as((r, t) -> " " + r + " " + t);
    }

    private static Arbitrary<String> pathName() {
        return Arbitraries.oneOf(
                Combinators.combine(Arbitraries.integers().between(0, 4095), Arbitraries.integers().between(0, 1048575))
                        .as((ma, mi) -> ma + ":" + mi),
                Arbitraries.strings().withCharRange('a', 'z').withChars("-.:_").ofMinLength(1).ofMaxLength(12)
                        .map(s -> "p-" + s));
    }

    @Provide
    Arbitrary<String> wordSoup() {
        Arbitrary<String> word = Arbitraries.oneOf(
                Arbitraries.of("0", "1", "2", "3", "8", "1024", "1025", "-1", "+1", "x", "4294967297",
                        "queue_if_no_path", "pg_init_retries", "pg_init_delay_msecs", "queue_mode", "bio",
                        "retain_attached_hw_handler", "alua", "rdac", "round-robin", "queue-length", "service-time",
                        "historical-service-time", "8:16", "8:32", "701", "p-1", "\\", "\\ "),
                Arbitraries.integers().between(0, 5).map(String::valueOf));
        return word.list().ofMaxSize(30).map(ws -> String.join(" ", ws));
    }

    private static String join(List<String> words) {
        StringBuilder sb = new StringBuilder();
        for (String w : words) sb.append(' ').append(w);
        return sb.toString();
    }
}
