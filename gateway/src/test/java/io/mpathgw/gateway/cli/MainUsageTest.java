package io.mpathgw.gateway.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every usage error of the command line: exit 2, one line naming the bad word and what was expected, nothing on
 * stdout, and no request sent (the URL points at a port nobody listens on; a request would fail with exit 1).
 */
class MainUsageTest {

    private static final Map<String, String> ENV = Map.of("MPATHGW_URL", "http://127.0.0.1:1",
            "MPATHGW_DATA_DIR", "/nonexistent");

    record Result(int exit, String out, String err) {
    }

    static Result run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, false);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', textBlock = """
            frobnicate                                   => mpathgw: unknown command 'frobnicate' (expected one of: dmsetup, multipathd, multipath, sessions)
            --port 9 dmsetup table                       => mpathgw: unknown option '--port' (expected: --url, --user, --password, --help)
            dmsetup --url                                => dmsetup: --url: missing value
            --url ftp://x dmsetup table                  => dmsetup: --url: 'ftp://x' (expected: http[s]://HOST[:PORT], e.g. http://127.0.0.1:8080)
            dmsetup                                      => dmsetup: missing command (expected: table, status, message)
            dmsetup ls                                   => dmsetup: unknown command 'ls' (expected: table, status, message)
            dmsetup table a b                            => dmsetup table: too many arguments after 'a': 'b' (expected: dmsetup table [MAP])
            dmsetup message                              => dmsetup message: missing MAP (expected: dmsetup message MAP SECTOR MESSAGE...)
            dmsetup message mpatha                       => dmsetup message: missing SECTOR (expected: dmsetup message MAP SECTOR MESSAGE...)
            dmsetup message mpatha 0                     => dmsetup message: missing MESSAGE (expected: dmsetup message MAP SECTOR MESSAGE...)
            dmsetup message mpatha x fail_path 8:16      => dmsetup message: SECTOR: 'x' (expected: a sector number, 0 for multipath)
            multipathd                                   => multipathd: missing command (expected one of: show, switch, fail, reinstate, disablequeueing, restorequeueing, reconfigure)
            multipathd frob                              => multipathd: unknown command 'frob' (expected one of: show, switch, fail, reinstate, disablequeueing, restorequeueing, reconfigure)
            multipathd -x                                => multipathd: unknown option '-x' (expected: -k"COMMAND" or command words)
            multipathd -k                                => multipathd -k: interactive mode is not supported (expected: -k"COMMAND")
            multipathd show                              => multipathd show: missing what to show (expected: topology, paths, path DEV, maps, map MAP, config, wildcards)
            multipathd show stuff                        => multipathd show: unknown 'stuff' (expected: topology, paths, path DEV, maps, map MAP, config, wildcards)
            multipathd show topology now                 => multipathd show topology now: unexpected 'now' (expected: show topology)
            multipathd show paths json                   => multipathd show paths: unknown 'json' (expected: [raw] format FMT)
            multipathd show paths format                 => multipathd show paths format: missing FMT (e.g. "%d %t %T"; 'multipathd show wildcards' lists them)
            multipathd show paths raw format             => multipathd show paths raw format: missing FMT (e.g. "%d %t %T"; 'multipathd show wildcards' lists them)
            multipathd show paths format %d x            => multipathd show paths format FMT: unexpected 'x' at the end
            multipathd show path                         => multipathd show path: missing DEV (expected: show path DEV)
            multipathd show maps frob                    => multipathd show maps: unknown 'frob' (expected: topology, json, status, stats, [raw] format FMT)
            multipathd show maps json x                  => multipathd show maps json: unexpected 'x' at the end
            multipathd show map                          => multipathd show map: missing MAP (expected: show map MAP topology|json|[raw] format FMT)
            multipathd show map mpatha                   => multipathd show map mpatha: missing what to show (expected: topology, json, [raw] format FMT)
            multipathd show map mpatha frob              => multipathd show map mpatha: unknown 'frob' (expected: topology, json, [raw] format FMT)
            multipathd switchgroup map mpatha            => multipathd switch map mpatha: missing 'group' (expected: switch map MAP group N)
            multipathd switchgroup mpatha group 2        => multipathd switch mpatha group 2: 'mpatha' where 'map' belongs (expected: switch map MAP group N)
            multipathd switch map mpatha group two       => multipathd switchgroup: group: 'two' (expected: a path group number, 1 for the first)
            multipathd switch map mpatha group 0         => multipathd switchgroup: group: '0' (expected: a path group number, 1 for the first)
            multipathd fail path                         => multipathd fail path: missing DEV (expected: fail path DEV)
            multipathd fail map mpatha                   => multipathd fail map mpatha: 'map' where 'path' belongs (expected: fail path DEV)
            multipathd reinstate path sdb sdc            => multipathd reinstate path sdb sdc: unexpected 'sdc' (expected: reinstate path DEV)
            multipathd disablequeueing                   => multipathd disablequeueing: expected 'map MAP' or 'maps'
            multipathd restorequeueing path sdb          => multipathd restorequeueing: expected 'map MAP' or 'maps', not 'path sdb'
            multipathd reconfigure all                   => multipathd reconfigure all: unexpected 'all' (expected: reconfigure)
            multipath                                    => multipath: missing -ll (expected: multipath -ll [MAP]; the gateway builds its maps itself)
            multipath -F                                 => multipath: unsupported '-F' (expected: multipath -ll [MAP]; the gateway builds its maps itself)
            multipath -ll a b                            => multipath -ll: unexpected 'b' (expected: multipath -ll [MAP])
            sessions -P 3                                => sessions: unexpected '-P 3' (expected: sessions [-P 1])
            """)
    void usageErrors(String line, String message) {
        Result r = run(ENV, line.trim().split(" +"));
        assertThat(r.err()).isEqualTo(message + "\n(mpathgw --help lists the commands)\n");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
    }

    @Test
    void kFormSplitsLikeMultipathd() {
        assertThat(MultipathdCommand.split("show paths format \"%d %t\"")).containsExactly("show", "paths", "format", "%d %t");
        assertThat(MultipathdCommand.split("  show   topology ")).containsExactly("show", "topology");
        Result r = run(ENV, "multipathd", "-kshow paths format \"%d");
        assertThat(r.err()).startsWith("multipathd: unbalanced '\"' in 'show paths format \"%d'\n");
        assertThat(r.exit()).isEqualTo(2);
        Result k = run(ENV, "multipathd", "-kshow maps json extra");
        assertThat(k.err()).startsWith("multipathd show maps json: unexpected 'extra' at the end\n");
    }

    @Test
    void helpAndNoArguments() {
        Result help = run(ENV, "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).startsWith("usage: mpathgw [--url URL]").contains("multipathd show topology");
        Result none = run(ENV);
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).startsWith("usage: mpathgw");
    }

    @Test
    void optionsBeforeAndAfterTheToolNameAndFromTheEnvironment() {
        // the usage error comes after the options were read: a bad URL from the environment is named as such
        Result env = run(Map.of("MPATHGW_URL", "not a url"), "dmsetup", "table");
        assertThat(env.err()).startsWith("dmsetup: MPATHGW_URL: 'not a url' is not a URL");
        Result flag = run(ENV, "dmsetup", "--url=nope://h", "table");
        assertThat(flag.err()).startsWith("dmsetup: --url: 'nope://h' (expected: http[s]://HOST[:PORT]");
    }
}
