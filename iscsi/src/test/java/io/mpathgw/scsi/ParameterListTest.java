package io.mpathgw.scsi;

import io.mpathgw.scsi.ParameterList.TpgState;
import io.mpathgw.scsi.ParameterList.UnmapDescriptor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParameterListTest {

    @Test
    void stpgAsScsiDhAluaSendsIt() {
        // scsi_dh_alua: 8 bytes, own group (here 0x0102) to active/optimized, CDB parameter list length 8
        byte[] list = ParameterList.stpg(0x0102, AluaState.ACTIVE_OPTIMIZED);
        assertThat(Hex.of(list)).isEqualTo("00 00 00 00 00 00 01 02");
        assertThat(Hex.of(Cdb.setTargetPortGroups(list.length))).isEqualTo("a4 0a 00 00 00 00 00 00 00 08 00 00");
    }

    @Test
    void stpgOfSeveralGroups() {
        byte[] list = ParameterList.stpg(List.of(new TpgState(1, AluaState.ACTIVE_NON_OPTIMIZED),
                new TpgState(2, AluaState.STANDBY), new TpgState(0xFFFF, AluaState.OFFLINE)));
        assertThat(Hex.of(list)).isEqualTo("00 00 00 00 01 00 00 01 02 00 00 02 0e 00 ff ff");
    }

    @Test
    void stpgCannotAskForTransitioning() {
        assertThatThrownBy(() -> new TpgState(1, AluaState.TRANSITIONING)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("asymmetric access state: transitioning (expected: active/optimized");
        assertThatThrownBy(() -> new TpgState(0x10000, AluaState.STANDBY))
                .hasMessage("target port group: 65536 (expected: 0..65535)");
    }

    @Test
    void prOutBasicList() {
        byte[] list = ParameterList.prOut(0x1122334455667788L, 0x0102030405060708L, true, true);
        assertThat(Hex.of(list)).isEqualTo("11 22 33 44 55 66 77 88 01 02 03 04 05 06 07 08"
                + " 00 00 00 00 05 00 00 00");
        assertThat(Hex.of(ParameterList.prOut(0, 0xABCDL, false, false)))
                .isEqualTo("00 00 00 00 00 00 00 00 00 00 00 00 00 00 ab cd 00 00 00 00 00 00 00 00");
    }

    @Test
    void unmapList() {
        byte[] list = ParameterList.unmap(List.of(new UnmapDescriptor(0x10, 0x800),
                new UnmapDescriptor(0x1_0000_0000L, 1)));
        assertThat(Hex.of(list)).isEqualTo("00 26 00 20 00 00 00 00"
                + " 00 00 00 00 00 00 00 10 00 00 08 00 00 00 00 00"
                + " 00 00 00 01 00 00 00 00 00 00 00 01 00 00 00 00");
        assertThatThrownBy(() -> ParameterList.unmap(List.of()))
                .hasMessage("UNMAP block descriptors: 0 (expected: 1..4095)");
        assertThatThrownBy(() -> new UnmapDescriptor(0, 0x1_0000_0000L))
                .hasMessage("number of logical blocks: 4294967296 (expected: 0..4294967295 for UNMAP)");
    }
}
