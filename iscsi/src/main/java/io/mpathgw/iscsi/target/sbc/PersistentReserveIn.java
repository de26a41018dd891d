package io.mpathgw.iscsi.target.sbc;

import io.mpathgw.iscsi.target.sbc.Reservations.Registration;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * PERSISTENT RESERVE IN (SPC-4 §6.15): READ KEYS, READ RESERVATION, REPORT CAPABILITIES and READ FULL STATUS. The
 * whole answer is returned; ADDITIONAL LENGTH always counts all of it, whatever the allocation length (SPC-5
 * §6.16.2), and the target trims the data.
 */
final class PersistentReserveIn {

    static final int READ_KEYS = 0x00;
    static final int READ_RESERVATION = 0x01;
    static final int REPORT_CAPABILITIES = 0x02;
    static final int READ_FULL_STATUS = 0x03;

    /** iSCSI PROTOCOL IDENTIFIER, with TransportID FORMAT CODE 01b: initiator port name with ISID (SPC-4 §7.6.4.6). */
    private static final int ISCSI_TRANSPORT_ID_WITH_ISID = 0x40 | 0x05;

    private PersistentReserveIn() {
    }

    static byte[] answer(Reservations r, int action) {
        synchronized (r) {
            return switch (action) {
                case READ_KEYS -> readKeys(r);
                case READ_RESERVATION -> readReservation(r);
                case REPORT_CAPABILITIES -> reportCapabilities();
                case READ_FULL_STATUS -> readFullStatus(r);
                default -> throw CheckCondition.invalidField(1, 4);
            };
        }
    }

    private static byte[] readKeys(Reservations r) {
        ByteBuffer b = ByteBuffer.allocate(8 + 8 * r.registrations.size());
        b.putInt(r.generation).putInt(8 * r.registrations.size());
        for (Registration g : r.registrations) b.putLong(g.key);
        return b.array();
    }

    private static byte[] readReservation(Reservations r) {
        if (r.type == null) return ByteBuffer.allocate(8).putInt(r.generation).putInt(0).array();
        ByteBuffer b = ByteBuffer.allocate(24).putInt(r.generation).putInt(16);
        b.putLong(r.holder == null ? 0 : r.holder.key);            // all-registrants types report key 0
        b.put(21, (byte) r.type.code());                              // SCOPE 0 (LU_SCOPE), TYPE
        return b.array();
    }

    /**
     * SPC-4 Table 172: CRH (RESERVE/RELEASE(6) follow §5.6.3), ATP_C (ALL_TG_PT honoured), no SIP_C, no PTPL_C;
     * TMV with every type; ALLOW COMMANDS 000b.
     */
    private static byte[] reportCapabilities() {
        return new byte[] {0x00, 0x08, 0x10 | 0x04, (byte) 0x80, (byte) 0xEA, 0x01, 0x00, 0x00};
    }

    private static byte[] readFullStatus(Reservations r) {
        ByteArrayOutputStream descriptors = new ByteArrayOutputStream();
        for (Registration g : r.registrations) {
            byte[] transportId = transportId(g.initiatorPort);
            ByteBuffer d = ByteBuffer.allocate(24 + transportId.length);
            d.putLong(g.key);
            boolean holder = r.type != null && (Reservations.allRegistrants(r.type) || r.holder == g);
            d.put(12, (byte) ((g.allTargetPorts ? 0x02 : 0) | (holder ? 0x01 : 0)));
            if (holder) d.put(13, (byte) r.type.code());
            d.putShort(18, (short) (g.allTargetPorts ? 0 : g.relativeTargetPort));
            d.putInt(20, transportId.length);
            d.put(24, transportId);
            descriptors.writeBytes(d.array());
        }
        byte[] list = descriptors.toByteArray();
        ByteBuffer b = ByteBuffer.allocate(8 + list.length).putInt(r.generation).putInt(list.length);
        b.put(list);
        return b.array();
    }

    /** The iSCSI TransportID of an initiator port: {@code name,i,0xISID}, NUL-terminated, padded to 4, at least 24. */
    static byte[] transportId(String initiatorPort) {
        byte[] name = initiatorPort.getBytes(StandardCharsets.UTF_8);
        int padded = Math.max(20, (name.length + 1 + 3) & ~3);
        ByteBuffer b = ByteBuffer.allocate(4 + padded);
        b.put((byte) ISCSI_TRANSPORT_ID_WITH_ISID).put((byte) 0).putShort((short) padded).put(name);
        return b.array();
    }
}
