package io.mpathgw.scsi;

import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Persistent reservations (SPC-4): the service actions and types that {@link Cdb#persistentReserveIn} and
 * {@link Cdb#persistentReserveOut} carry, and parsers of the READ KEYS and READ RESERVATION answers. The gateway
 * needs them to pass reservations of a clustered client through to the array (multipath-tools' mpathpersist).
 */
public final class PersistentReserve {

    private PersistentReserve() {
    }

    /** PERSISTENT RESERVE IN service actions (SPC-4). */
    public enum InAction {
        READ_KEYS(0x00), READ_RESERVATION(0x01), REPORT_CAPABILITIES(0x02), READ_FULL_STATUS(0x03);

        private final int code;

        InAction(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    /** PERSISTENT RESERVE OUT service actions (SPC-4; REPLACE LOST RESERVATION: SPC-5). */
    public enum OutAction {
        REGISTER(0x00), RESERVE(0x01), RELEASE(0x02), CLEAR(0x03), PREEMPT(0x04), PREEMPT_AND_ABORT(0x05),
        REGISTER_AND_IGNORE_EXISTING_KEY(0x06), REGISTER_AND_MOVE(0x07), REPLACE_LOST_RESERVATION(0x08);

        private final int code;

        OutAction(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    /** Persistent reservation TYPE (SPC-4). */
    public enum Type {
        WRITE_EXCLUSIVE(0x1), EXCLUSIVE_ACCESS(0x3), WRITE_EXCLUSIVE_REGISTRANTS_ONLY(0x5),
        EXCLUSIVE_ACCESS_REGISTRANTS_ONLY(0x6), WRITE_EXCLUSIVE_ALL_REGISTRANTS(0x7),
        EXCLUSIVE_ACCESS_ALL_REGISTRANTS(0x8);

        private final int code;

        Type(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        public static Type of(int code) {
            for (Type t : values())
                if (t.code == code) return t;
            throw new ScsiDataException(String.format(
                    "persistent reservation type: 0x%x (expected: 1, 3, 5, 6, 7 or 8)", code));
        }
    }

    /** READ KEYS answer (SPC-4): the PRgeneration and every registered reservation key. */
    public record Keys(long generation, long[] keys) {
        public Keys {
            keys = keys.clone();
        }

        @Override
        public long[] keys() {
            return keys.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Keys k && k.generation == generation && Arrays.equals(k.keys, keys);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(generation) * 31 + Arrays.hashCode(keys);
        }

        @Override
        public String toString() {
            List<String> hex = new ArrayList<>();
            for (long k : keys) hex.add(String.format("0x%x", k));
            return "generation " + generation + ", keys " + hex;
        }
    }

    /** READ RESERVATION answer (SPC-4), when a reservation is held. */
    public record Reservation(long generation, long key, int scope, Type type) {
    }

    /** Parses READ KEYS parameter data from the reader index, without moving indexes. */
    public static Keys parseKeys(ByteBuf buf) {
        Wire.need(buf, 8, "READ KEYS parameter data");
        int at = buf.readerIndex();
        long additional = buf.getUnsignedInt(at + 4);
        if (additional % 8 != 0)
            throw new ScsiDataException("READ KEYS additional length: " + additional + " (expected: a multiple of 8)");
        Wire.need(buf, (int) Math.min(Integer.MAX_VALUE, 8 + additional), "READ KEYS parameter data");
        long[] keys = new long[(int) (additional / 8)];
        for (int i = 0; i < keys.length; i++) keys[i] = buf.getLong(at + 8 + 8 * i);
        return new Keys(buf.getUnsignedInt(at), keys);
    }

    public static Keys parseKeys(byte[] data) {
        return parseKeys(Wire.wrap(data));
    }

    /** Parses READ RESERVATION parameter data; empty when no reservation is held (additional length 0). */
    public static Optional<Reservation> parseReservation(ByteBuf buf) {
        Wire.need(buf, 8, "READ RESERVATION parameter data");
        int at = buf.readerIndex();
        long additional = buf.getUnsignedInt(at + 4);
        if (additional == 0) return Optional.empty();
        if (additional != 0x10)
            throw new ScsiDataException("READ RESERVATION additional length: " + additional + " (expected: 0 or 16)");
        Wire.need(buf, 24, "READ RESERVATION parameter data");
        int scopeType = buf.getUnsignedByte(at + 21);
        return Optional.of(new Reservation(buf.getUnsignedInt(at), buf.getLong(at + 8), scopeType >> 4,
                Type.of(scopeType & 0x0F)));
    }

    public static Optional<Reservation> parseReservation(byte[] data) {
        return parseReservation(Wire.wrap(data));
    }
}
