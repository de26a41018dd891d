package io.mpathgw.dm.engine;

import io.mpathgw.dm.table.MultipathTable;
import io.mpathgw.dm.table.TableException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** kernel-golden/tables-status.golden: {@code dmsetup status} right after each table is loaded (spec §1.8, §2.1). */
class LoadStatusGoldenTest {

    static Stream<Arguments> golden() throws IOException {
        var in = LoadStatusGoldenTest.class.getResourceAsStream("/dm/tables-status.golden");
        var lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList();
        return lines.stream().map(l -> Arguments.of(l.substring(0, l.indexOf('|')), l.substring(l.indexOf('|') + 1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("golden")
    void statusRightAfterLoad(String params, String status) throws TableException {
        VirtualMapThread thread = new VirtualMapThread();
        MultipathDevice map = MultipathDevice.builder("m", 2097152, MultipathTable.parse(params))
                .thread(thread).pathIo(new ScriptedPathIo(thread)).activator(PathActivator.IMMEDIATE_SUCCESS)
                .build();
        assertThat(map.status()).isEqualTo(status + " ");
        assertThat(map.table()).isEqualTo(MultipathTable.parse(params).toString());
    }
}
