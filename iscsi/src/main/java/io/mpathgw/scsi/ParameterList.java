package io.mpathgw.scsi;

import java.io.ByteArrayOutputStream;
import java.util.List;

import static io.mpathgw.scsi.Wire.putInt;
import static io.mpathgw.scsi.Wire.putLong;
import static io.mpathgw.scsi.Wire.putShort;
import static io.mpathgw.scsi.Wire.range;

/**
 * Data-Out parameter lists that go with a CDB from {@link Cdb}: its length is the CDB's PARAMETER LIST LENGTH.
 * Each builder returns a fresh array the caller owns (wrap it with {@code Unpooled.wrappedBuffer} for
 * {@link ScsiCommand#write}).
 */
public final class ParameterList {

    private ParameterList() {
    }

    /** One set target port group descriptor: the state asked for one target port group. */
    public record TpgState(int groupId, AluaState state) {
        public TpgState {
            range("target port group", groupId, 0, 0xFFFF);
            // SPC-4 SET TARGET PORT GROUPS: transitioning is the device's own business; an initiator cannot ask for it
            if (state == AluaState.TRANSITIONING)
                throw new IllegalArgumentException("asymmetric access state: transitioning"
                        + " (expected: active/optimized, active/non-optimized, standby, unavailable, lba-dependent"
                        + " or offline for SET TARGET PORT GROUPS)");
        }
    }

    /** One UNMAP block descriptor (SBC-3 UNMAP parameter list). */
    public record UnmapDescriptor(long lba, long blocks) {
        public UnmapDescriptor {
            range("lba", lba, 0, Long.MAX_VALUE, "UNMAP");
            range("number of logical blocks", blocks, 0, 0xFFFF_FFFFL, "UNMAP");
        }
    }

    /**
     * SET TARGET PORT GROUPS parameter list (SPC-4): 4 reserved bytes, then 4 bytes per group
     * (state in byte 0 bits 3..0, group id in bytes 2..3). scsi_dh_alua sends one descriptor: its own group,
     * active/optimized, and leaves the other groups to the array.
     */
    public static byte[] stpg(List<TpgState> groups) {
        byte[] b = new byte[4 + 4 * groups.size()];
        for (int i = 0; i < groups.size(); i++) {
            TpgState g = groups.get(i);
            b[4 + 4 * i] = (byte) g.state().code();
            putShort(b, 4 + 4 * i + 2, g.groupId());
        }
        return b;
    }

    public static byte[] stpg(int groupId, AluaState state) {
        return stpg(List.of(new TpgState(groupId, state)));
    }

    /**
     * The basic 24-byte PERSISTENT RESERVE OUT parameter list (SPC-4; no SPEC_I_PT, so no
     * TransportIDs).
     *
     * @param reservationKey          RESERVATION KEY: the key this I_T nexus holds (0 before registering)
     * @param serviceActionKey        SERVICE ACTION RESERVATION KEY: the new key for REGISTER, the key to preempt
     * @param allTargetPorts          ALL_TG_PT: register through every target port at once
     * @param activatePersistThroughPowerLoss APTPL
     */
    public static byte[] prOut(long reservationKey, long serviceActionKey, boolean allTargetPorts,
                               boolean activatePersistThroughPowerLoss) {
        byte[] b = new byte[24];
        putLong(b, 0, reservationKey);
        putLong(b, 8, serviceActionKey);
        b[20] = (byte) ((allTargetPorts ? 0x04 : 0) | (activatePersistThroughPowerLoss ? 0x01 : 0));
        return b;
    }

    /**
     * UNMAP parameter list (SBC-3): UNMAP DATA LENGTH (n - 2), UNMAP BLOCK DESCRIPTOR DATA LENGTH (n - 8),
     * 4 reserved bytes, then 16 bytes per descriptor.
     */
    public static byte[] unmap(List<UnmapDescriptor> descriptors) {
        range("UNMAP block descriptors", descriptors.size(), 1, (0xFFFF - 8) / 16);
        byte[] b = new byte[8 + 16 * descriptors.size()];
        putShort(b, 0, b.length - 2);
        putShort(b, 2, b.length - 8);
        for (int i = 0; i < descriptors.size(); i++) {
            putLong(b, 8 + 16 * i, descriptors.get(i).lba());
            putInt(b, 8 + 16 * i + 8, descriptors.get(i).blocks());
        }
        return b;
    }

    /**
     * MODE SELECT(6) parameter list (SPC-4 mode parameters): a 4-byte header with MODE DATA LENGTH, MEDIUM TYPE and
     * DEVICE-SPECIFIC PARAMETER 0 (reserved or ignored in MODE SELECT), no block descriptors, then the pages with
     * PS cleared (reserved in MODE SELECT). Send with {@link Cdb#modeSelect6} PF=1.
     */
    public static byte[] modeSelect6(List<ModePage> pages) {
        byte[] b = withPages(4, pages);
        range("MODE SELECT(6) parameter list length", b.length, 4, 0xFF);
        return b;
    }

    /** MODE SELECT(10) parameter list: 8-byte header, otherwise as {@link #modeSelect6}. */
    public static byte[] modeSelect10(List<ModePage> pages) {
        byte[] b = withPages(8, pages);
        range("MODE SELECT(10) parameter list length", b.length, 8, 0xFFFF);
        return b;
    }

    private static byte[] withPages(int header, List<ModePage> pages) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[header]);
        for (ModePage p : pages) out.writeBytes(p.toBytes(false));
        return out.toByteArray();
    }
}
