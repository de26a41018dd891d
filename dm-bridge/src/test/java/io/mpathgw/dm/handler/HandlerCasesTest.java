package io.mpathgw.dm.handler;

import io.mpathgw.dm.selector.Selectors;
import io.mpathgw.dm.table.HandlerAttach;
import io.mpathgw.dm.table.MultipathTable;
import io.mpathgw.dm.table.TableException;
import io.mpathgw.scsi.Sense;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The two case tables: check_sense per handler, and handler names/parameters at table load. */
class HandlerCasesTest {

    static List<Arguments> senseCases() {
        return CaseFile.load("/dm/handler/check-sense.cases", 3);
    }

    static List<Arguments> tableCases() {
        return CaseFile.load("/dm/handler/table-params.cases", 2);
    }

    /** Fixed and descriptor format, current and deferred: only key, ASC and ASCQ count. */
    @ParameterizedTest(name = "{0}: {1} {2} → {3}")
    @MethodSource("senseCases")
    void checkSense(String at, String handler, String sense, String expected) {
        String[] k = sense.split("/");
        Sense s = Sense.of(Integer.parseInt(k[0], 16), Integer.parseInt(k[1], 16), Integer.parseInt(k[2], 16));
        for (Sense form : List.of(s, s.descriptorFormat(), new Sense(0x71, s.senseKey(), s.asc(), s.ascq(), 7))) {
            VirtualScheduler clock = new VirtualScheduler();
            AttachedHandler h = Attached.of(handler, clock, new HandlerContext(clock, HandlerSettings.KERNEL, l -> { }));
            assertThat(h.checkSense(form)).as("%s, response code 0x%02x", at, form.responseCode())
                    .isEqualTo(Disposition.valueOf(expected));
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("tableCases")
    void tableLoad(String at, String params, String expected) throws TableException {
        if (expected.startsWith("ERR:")) {
            assertThatThrownBy(() -> parse(params)).as(at).isInstanceOf(TableException.class)
                    .hasMessage(expected.substring(4));
        } else {
            assertThat(parse(params).toString()).as(at).isEqualTo(expected + " ");
        }
    }

    static MultipathTable parse(String params) throws TableException {
        return MultipathTable.parse(params, Selectors.REGISTRY, HardwareHandlers.TABLE_ATTACH);
    }

    @Test
    void errorsSayWhichWordAndWhatWasExpected() {
        assertThatThrownBy(() -> parse("0 3 emc 1 2 1 1 round-robin 0 1 0 8:16")).isInstanceOf(TableException.class)
                .extracting(e -> ((TableException) e).detail())
                .isEqualTo("path 8:16: emc: honor_reservations: '2' (expected: 0 or 1)");
        assertThatThrownBy(() -> parse("0 2 emc 1 1 1 round-robin 0 1 0 p1")).isInstanceOf(TableException.class)
                .hasMessage(HandlerAttach.PARAMS_FAILED).extracting(e -> ((TableException) e).detail())
                .isEqualTo("path p1: emc: 1 parameters [1] (expected: 2: short_trespass honor_reservations)");
        assertThatThrownBy(() -> parse("0 2 rdac 1 1 1 round-robin 0 1 0 p1")).isInstanceOf(TableException.class)
                .extracting(e -> ((TableException) e).detail())
                .isEqualTo("path p1: rdac: parameters [1] (expected: none, scsi_dh_rdac has no set_params)");
        assertThatThrownBy(() -> parse("0 1 ALUA 1 1 round-robin 0 1 0 8:16")).isInstanceOf(TableException.class)
                .extracting(e -> ((TableException) e).detail())
                .isEqualTo("path 8:16: hardware handler 'ALUA' (expected: alua, rdac, emc, hp_sw)");
    }

    @Test
    void theRegistryHoldsTheKernelsFourNames() {
        assertThat(HardwareHandlers.REGISTRY.all().stream().map(HardwareHandler::name))
                .containsExactly("alua", "rdac", "emc", "hp_sw");
        assertThat(HardwareHandlers.REGISTRY.find("hp_sw")).containsSame(HpSwHandler.INSTANCE);
        assertThat(HardwareHandlers.REGISTRY.find("hp-sw")).isEmpty();
        for (HardwareHandler h : HardwareHandlers.REGISTRY.all()) {
            io.mpathgw.dm.table.DmEmit table = new io.mpathgw.dm.table.DmEmit();
            h.emitTable(table);
            assertThat(table.toString()).isEqualTo("1 " + h.name() + " ");
            io.mpathgw.dm.table.DmEmit status = new io.mpathgw.dm.table.DmEmit();
            h.emitStatus(status);
            assertThat(status.toString()).isEqualTo("0 ");
        }
    }

    @Test
    void sscanfUnsignedAsSetParamsReadsIt() {
        assertThat(Stream.of("0", "1", "1x", " 1", "01", "4294967297", "x", "", "-1", "+1")
                .map(ParamWords::scanU).toList()).containsExactly(0L, 1L, 1L, 1L, 1L, 1L, -1L, -1L, -1L, -1L);
    }
}
