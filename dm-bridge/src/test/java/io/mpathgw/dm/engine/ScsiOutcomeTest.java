package io.mpathgw.dm.engine;

import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.Sense;
import io.mpathgw.scsi.TransportException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The mid-layer's verdict on a command's end: which errors are the path's, which the LU's (spec §4.4, §9). */
class ScsiOutcomeTest {

    @ParameterizedTest(name = "{0} {1} -> {2} {3}")
    @CsvFileSource(resources = "/dm/engine/scsi-outcomes.cases", delimiter = '|')
    void classifiesAsTheKernel(String status, String sense, String action, String blkStatus) {
        ScsiOutcome o = ScsiOutcome.of(statusByte(status), sense == null ? null : parse(sense));
        assertThat(o.action()).as(o.reason()).isEqualTo(ScsiOutcome.Action.valueOf(action));
        assertThat(o.status()).as(o.reason()).isEqualTo(BlkStatus.valueOf(blkStatus));
    }

    @ParameterizedTest
    @EnumSource(TransportException.Kind.class)
    void everyTransportFailureIsAPathError(TransportException.Kind kind) {
        assertThat(ScsiOutcome.ofTransport(kind).isPathError()).isTrue();
    }

    private static int statusByte(String name) {
        if (name.startsWith("0x")) return Integer.parseInt(name.substring(2), 16);
        return IntStream.range(0, 256).filter(s -> ScsiResponse.statusName(s).equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("status: " + name));
    }

    private static Sense parse(String kaq) {
        String[] f = kaq.split("/");
        return Sense.of(Integer.parseInt(f[0], 16), Integer.parseInt(f[1], 16), Integer.parseInt(f[2], 16));
    }
}
