package io.mpathgw.dm.handler;

import io.mpathgw.scsi.AluaState;

import java.util.Optional;

/**
 * A path's asymmetric access state as the kernel exposes it in sysfs ({@code access_state}, {@code preferred_path},
 * spec §6.0): alua mirrors its port group's RTPG state, rdac and emc map LUN ownership onto it, hp_sw has none.
 *
 * @param code      the state code (SCSI_ACCESS_STATE_*, the RTPG ASYMMETRIC ACCESS STATE values); -1 for none
 * @param preferred the preferred bit (ALUA PREF, RDAC path priority, EMC default SP = current SP)
 */
public record AccessState(int code, boolean preferred) {

    public static final AccessState NONE = new AccessState(-1, false);

    public static AccessState of(AluaState state, boolean preferred) {
        return new AccessState(state.code(), preferred);
    }

    public Optional<AluaState> state() {
        return code < 0 ? Optional.empty() : AluaState.of(code);
    }

    /** sysfs {@code access_state}: {@code active/optimized}…, {@code unknown} for a reserved code. */
    @Override
    public String toString() {
        if (code < 0) return "none";
        return state().map(AluaState::kernelName).orElse("unknown") + (preferred ? " preferred" : "");
    }
}
