package io.mpathgw.scsi;

import java.util.Optional;

/**
 * Asymmetric access state of a target port group (SPC-4, asymmetric logical unit access; RTPG descriptor byte 0
 * bits 3..0), with the names the kernel prints in sysfs {@code access_state} ({@code scsi_access_state_name()})
 * and the letters scsi_dh_alua logs ("port group %02x state %c"). Each state also has its bit in the RTPG
 * SUPPORTED STATES byte (T_SUP 0x80, O_SUP 0x40, LBD_SUP 0x10, U_SUP 0x08, S_SUP 0x04, AN_SUP 0x02, AO_SUP 0x01).
 *
 * <p>Who sees which state: scsi_dh_alua lets I/O through in {@code active/optimized}, {@code active/non-optimized},
 * {@code lba-dependent} and {@code transitioning}; multipath-tools' {@code alua} prioritizer gives 50, 10, 5, 1 to
 * A/O, A/NO, LBA-dependent, standby and 0 to the rest.
 */
public enum AluaState {
    ACTIVE_OPTIMIZED(0x0, "active/optimized", 'A', 0x01),
    ACTIVE_NON_OPTIMIZED(0x1, "active/non-optimized", 'N', 0x02),
    STANDBY(0x2, "standby", 'S', 0x04),
    UNAVAILABLE(0x3, "unavailable", 'U', 0x08),
    LBA_DEPENDENT(0x4, "lba-dependent", 'L', 0x10),
    OFFLINE(0xE, "offline", 'O', 0x40),
    TRANSITIONING(0xF, "transitioning", 'T', 0x80);

    private final int code;
    private final String kernelName;
    private final char letter;
    private final int supportBit;

    AluaState(int code, String kernelName, char letter, int supportBit) {
        this.code = code;
        this.kernelName = kernelName;
        this.letter = letter;
        this.supportBit = supportBit;
    }

    /** The 4-bit code of the ASYMMETRIC ACCESS STATE field. */
    public int code() {
        return code;
    }

    /** As in sysfs {@code access_state}: {@code active/optimized}, {@code standby}… */
    public String kernelName() {
        return kernelName;
    }

    /** scsi_dh_alua's log letter: A N S U L O T. */
    public char letter() {
        return letter;
    }

    /** This state's bit in the SUPPORTED STATES byte of an RTPG descriptor. */
    public int supportBit() {
        return supportBit;
    }

    /** The state for a code; empty for the reserved codes 5..0xD (the kernel logs them as 'X'). */
    public static Optional<AluaState> of(int code) {
        for (AluaState s : values())
            if (s.code == code) return Optional.of(s);
        return Optional.empty();
    }

    /** The state of a kernel name, as {@code multipathd show paths} or a config would spell it. */
    public static Optional<AluaState> ofKernelName(String name) {
        for (AluaState s : values())
            if (s.kernelName.equals(name)) return Optional.of(s);
        return Optional.empty();
    }

    @Override
    public String toString() {
        return kernelName;
    }
}
