package io.mpathgw.gateway.config;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code show()} prints multipathd's show config layout, and reading it back gives the same effective policies. */
class ShowRoundTripTest {

    /** Devices probed: the simulator's, tgt's, real rows, rows a generated user entry may hit, and an unknown one. */
    private static final String[][] PROBES = {
            {"MPATHGW", "SIM ALUA"}, {"MPATHGW", "SIM DISK"}, {"IET", "VIRTUAL-DISK"}, {"LSI", "INF-01-00"},
            {"DGC", "RAID 5"}, {"COMPAQ", "MSA1000 VOLUME"}, {"NETAPP", "LUN C-Mode"}, {"LIO-ORG", "TCMU device"},
            {"ACME", "DISK"}, {"ACME", "TAPE \"x\""}, {"PURE", "FlashArray"}};
    private static final List<String> WWIDS = List.of("3600a0b8000000000000000000000000a",
            "3600a0b8000000000000000000000000b", "3600a0b8000000000000000000000000c");

    static void assertSamePolicies(MultipathConf a, MultipathConf b) {
        for (String[] d : PROBES)
            for (String w : WWIDS)
                for (Boolean tpgs : new Boolean[] {null, true, false}) {
                    MapPolicy pa = tpgs == null ? a.policyFor(d[0], d[1], "1.0", w) : a.policyFor(d[0], d[1], "1.0", w, tpgs);
                    MapPolicy pb = tpgs == null ? b.policyFor(d[0], d[1], "1.0", w) : b.policyFor(d[0], d[1], "1.0", w, tpgs);
                    assertThat(pb.withoutOrigins()).as(d[0] + "/" + d[1] + " " + w + " tpgs " + tpgs + "\n" + b.show())
                            .isEqualTo(pa.withoutOrigins());
                    assertThat(b.blacklisted(d[0], d[1], w, "sdb")).isEqualTo(a.blacklisted(d[0], d[1], w, "sdb"));
                }
        assertThat(b.findMultipaths()).isEqualTo(a.findMultipaths());
    }

    @Test
    void proxmoxFileRoundTrips() throws Exception {
        MultipathConf c = MultipathConf.parse(ExampleFilesTest.resource("proxmox-ceph.multipath.conf"), "m.conf");
        String shown = c.show();
        assertThat(shown).startsWith("defaults {\n\tpolling_interval 2\n").contains(
                "\tpath_selector \"round-robin 0\"\n",
                "blacklist {\n\twwid \".*\"\n",
                "blacklist_exceptions {\n\twwid \"3600144f028f88a0000005037a95d0001\"\n",
                "devices {\n\tdevice {\n\t\tvendor \"MPATHGW\"\n\t\tproduct \"SIM ALUA\"\n",
                "\tdevice {\n\t\tvendor \"LIO-ORG\"\n\t\tproduct \"TCMU device\"\n\t\thardware_handler \"1 alua\"\n",
                "overrides {\n}\n",
                "multipaths {\n\tmultipath {\n\t\twwid \"3600144f028f88a0000005037a95d0001\"\n\t\talias \"mpath0\"\n\t}\n");
        MultipathConf back = MultipathConf.parse(shown, "shown");
        assertThat(back.warnings()).isEmpty();
        assertSamePolicies(c, back);
        assertThat(MultipathConf.parse(back.show(), "again").show()).isEqualTo(back.show());
    }

    @Test
    void compiledInDefaultsRoundTrip() throws ConfException {
        MultipathConf none = MultipathConf.defaults();
        assertSamePolicies(none, MultipathConf.parse(none.show(), "shown"));
    }

    @Property(tries = 150)
    void anyConfigRoundTrips(@ForAll("configs") String text) throws ConfException {
        MultipathConf c = MultipathConf.parse(text, "gen.conf");
        MultipathConf back = MultipathConf.parse(c.show(), "shown");
        assertThat(back.warnings()).as(c.show()).isEmpty();
        assertSamePolicies(c, back);
    }

    @Provide
    Arbitrary<String> configs() {
        Arbitrary<String> defaults = settings(List.of("polling_interval", "max_polling_interval", "checker_timeout",
                "find_multipaths", "path_checker", "detect_prio", "detect_checker", "detect_pgpolicy",
                "alias_prefix"));
        Arbitrary<String> overrides = settings(List.of("path_checker", "detect_prio", "alias_prefix"));
        Arbitrary<String> device = Combinators.combine(Arbitraries.of("ACME", "^NET", "(LIO-ORG|SUSE)", "MPATHGW",
                        "DGC"), Arbitraries.of("DISK", ".*", "TAPE \"\"x\"\"", "SIM ALUA", "^RAID"), settings(List.of(
                        "hardware_handler", "path_checker", "detect_prio")))
                .as((v, p, s) -> "\tdevice {\n\t\tvendor \"" + v + "\"\n\t\tproduct \"" + p + "\"\n" + s + "\t}\n");
        Arbitrary<String> multipath = Combinators.combine(Arbitraries.of(WWIDS), Arbitraries.of("", "\t\talias db\n"),
                        settings(List.of()))
                .as((w, a, s) -> "\tmultipath {\n\t\twwid " + w + "\n" + a + s + "\t}\n");
        Arbitrary<String> blacklist = Arbitraries.of("", "blacklist {\n\twwid \".*c$\"\n}\n",
                "blacklist {\n\tdevice {\n\t\tvendor ACME\n\t}\n}\nblacklist_exceptions {\n\tdevice {\n\t\tproduct TAPE\n\t}\n}\n");
        return Combinators.combine(defaults, overrides, device.list().ofMaxSize(3), multipath.list().ofMaxSize(3),
                        blacklist)
                .as((d, o, devs, mps, bl) -> "defaults {\n" + d + "}\noverrides {\n" + o + "}\ndevices {\n"
                        + String.join("", devs) + "}\nmultipaths {\n" + String.join("", mps) + "}\n" + bl);
    }

    /** Some of the per-map keywords everywhere, plus {@code extra} (keywords valid only in that section). */
    private static Arbitrary<String> settings(List<String> extra) {
        List<String> keys = new java.util.ArrayList<>(List.of("path_grouping_policy", "path_selector", "prio",
                "prio_args", "features", "failback", "rr_min_io_rq", "rr_weight", "no_path_retry",
                "user_friendly_names"));
        keys.addAll(extra);
        return Arbitraries.of(keys).set().ofMaxSize(6).flatMap(chosen -> {
            List<Arbitrary<String>> lines = chosen.stream().map(k -> valueFor(k).map(v -> "\t\t" + k + " " + v + "\n"))
                    .toList();
            return Combinators.combine(lines).as(l -> String.join("", l));
        });
    }

    private static Arbitrary<String> valueFor(String key) {
        return switch (key) {
            case "path_grouping_policy" -> Arbitraries.of("failover", "multibus", "group_by_serial", "group_by_prio",
                    "group_by_node_name", "group_by_tpg");
            case "path_selector" -> Arbitraries.of("\"service-time 0\"", "\"round-robin 0\"", "\"queue-length 0\"");
            case "prio" -> Arbitraries.of("const", "alua", "rdac", "emc", "weightedpath");
            case "prio_args" -> Arbitraries.of("\"\"", "exclusive_pref_bit", "\"hbtl 1:0:0:0 10\"");
            case "features" -> Arbitraries.of("\"0\"", "\"1 queue_if_no_path\"", "\"2 pg_init_retries 50\"",
                    "\"3 queue_if_no_path pg_init_retries 7\"");
            case "failback" -> Arbitraries.of("immediate", "manual", "followover", "15");
            case "rr_min_io_rq" -> Arbitraries.integers().between(1, 1000).map(String::valueOf);
            case "rr_weight" -> Arbitraries.of("uniform", "priorities");
            case "no_path_retry" -> Arbitraries.of("queue", "fail", "0", "3", "30");
            case "polling_interval", "max_polling_interval", "checker_timeout" ->
                    Arbitraries.integers().between(1, 40).map(String::valueOf);
            case "find_multipaths" -> Arbitraries.of("yes", "no", "strict", "greedy", "smart");
            case "path_checker" -> Arbitraries.of("tur", "directio", "rdac", "none");
            case "hardware_handler" -> Arbitraries.of("\"0\"", "\"1 alua\"", "\"1 emc\"");
            case "alias_prefix" -> Arbitraries.of("san", "mp");
            default -> Arbitraries.of("yes", "no");
        };
    }
}
