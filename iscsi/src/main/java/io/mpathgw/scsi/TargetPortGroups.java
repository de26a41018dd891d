package io.mpathgw.scsi;

import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * REPORT TARGET PORT GROUPS parameter data (SPC-4): the asymmetric access state of every target port group of
 * the LU. Parsed as scsi_dh_alua reads it: when byte 4 bits 6..4 are 001b the extended header is present (byte 5 is
 * the implicit transition time in seconds) and descriptors start at byte 8; otherwise they start at byte 4.
 *
 * @param extendedHeader          the answer carries the extended header (format type 001b)
 * @param implicitTransitionTime  seconds from the extended header; 0 when absent or not reported
 *                                (scsi_dh_alua then waits its default of 60 s)
 * @param groups                  the port group descriptors in the order the device sent them
 */
public record TargetPortGroups(boolean extendedHeader, int implicitTransitionTime, List<PortGroup> groups) {

    /** Bytes before the first descriptor: RETURN DATA LENGTH, plus the extended header when present. */
    private static final int HEADER = 4;
    private static final int EXTENDED_HEADER = 8;
    private static final int DESCRIPTOR = 8;

    public TargetPortGroups {
        groups = List.copyOf(groups);
    }

    /**
     * One target port group descriptor (SPC-4).
     *
     * @param id                  TARGET PORT GROUP (bytes 2..3)
     * @param stateCode           ASYMMETRIC ACCESS STATE code (byte 0 bits 3..0), kept raw: reserved codes exist in
     *                            the wild and the kernel tolerates them
     * @param preferred           PREF bit (byte 0 bit 7): the array's preferred group; the {@code alua}
     *                            prioritizer adds 80 for it
     * @param supportedStates     SUPPORTED STATES byte (byte 1), bits as {@link AluaState#supportBit()}
     * @param statusCode          0 no status, 1 altered by SET TARGET PORT GROUPS, 2 altered by implicit behaviour
     * @param vendorSpecific      byte 6
     * @param relativeTargetPorts RELATIVE TARGET PORT IDENTIFIER of each port in the group
     */
    public record PortGroup(int id, int stateCode, boolean preferred, int supportedStates, int statusCode,
                            int vendorSpecific, List<Integer> relativeTargetPorts) {

        public static final int STATUS_NONE = 0;
        public static final int STATUS_ALTERED_BY_STPG = 1;
        public static final int STATUS_ALTERED_IMPLICITLY = 2;

        public PortGroup {
            relativeTargetPorts = List.copyOf(relativeTargetPorts);
        }

        /** The state; empty for a reserved code. */
        public Optional<AluaState> state() {
            return AluaState.of(stateCode);
        }

        public boolean supports(AluaState s) {
            return (supportedStates & s.supportBit()) != 0;
        }

        /** Byte 0 as multipath-tools' alua prioritizer reads it: PREF and the state ({@code byte0 & 0x8f}). */
        public int aasByte() {
            return (preferred ? 0x80 : 0) | stateCode;
        }

        /** As scsi_dh_alua logs a group: {@code port group 01 state N non-preferred supports TOlUSNA}. */
        @Override
        public String toString() {
            return String.format("port group %02x state %c %s supports %s", id,
                    state().map(AluaState::letter).orElse('X'), preferred ? "preferred" : "non-preferred",
                    supportLetters());
        }

        /** scsi_dh_alua's TOLUSNA: upper case for a supported state, lower case otherwise. */
        public String supportLetters() {
            StringBuilder b = new StringBuilder(7);
            for (AluaState s : SUPPORT_ORDER)
                b.append(supports(s) ? s.letter() : Character.toLowerCase(s.letter()));
            return b.toString();
        }

        private static final AluaState[] SUPPORT_ORDER = {AluaState.TRANSITIONING, AluaState.OFFLINE,
            AluaState.LBA_DEPENDENT, AluaState.UNAVAILABLE, AluaState.STANDBY, AluaState.ACTIVE_NON_OPTIMIZED,
            AluaState.ACTIVE_OPTIMIZED};
    }

    /** The descriptor of group {@code id}, as the prioritizer finds its own group. */
    public Optional<PortGroup> group(int id) {
        for (PortGroup g : groups)
            if (g.id == id) return Optional.of(g);
        return Optional.empty();
    }

    /** The group that contains relative target port {@code port}. */
    public Optional<PortGroup> groupOfPort(int port) {
        for (PortGroup g : groups)
            if (g.relativeTargetPorts.contains(port)) return Optional.of(g);
        return Optional.empty();
    }

    /**
     * Total length of the answer the device holds (RETURN DATA LENGTH + 4): when larger than what arrived, re-issue
     * RTPG with this allocation length, as scsi_dh_alua and the alua prioritizer do.
     */
    public static long requiredLength(ByteBuf buf) {
        Wire.need(buf, 4, "RTPG parameter data");
        return buf.getUnsignedInt(buf.readerIndex()) + 4;
    }

    /** Parses from the reader index to the writer index without moving either. */
    public static TargetPortGroups parse(ByteBuf buf) {
        long total = requiredLength(buf);
        if (total > buf.readableBytes())
            throw new ScsiDataException("RTPG return data length: " + (total - 4) + " (expected: <= "
                    + (buf.readableBytes() - 4) + " bytes received; re-issue with allocation length " + total + ")");
        int at = buf.readerIndex();
        int end = at + (int) total;
        boolean extended = total >= EXTENDED_HEADER && (buf.getUnsignedByte(at + 4) & 0x70) == 0x10;
        int transition = extended ? buf.getUnsignedByte(at + 5) : 0;
        List<PortGroup> groups = new ArrayList<>();
        for (int d = at + (extended ? EXTENDED_HEADER : HEADER); d < end; ) {
            if (d + DESCRIPTOR > end)
                throw new ScsiDataException("RTPG descriptor at offset " + (d - at) + ": " + (end - d)
                        + " bytes (expected: >= " + DESCRIPTOR + ")");
            int ports = buf.getUnsignedByte(d + 7);
            int next = d + DESCRIPTOR + 4 * ports;
            if (next > end)
                throw new ScsiDataException("RTPG descriptor at offset " + (d - at) + ": target port count " + ports
                        + " (expected: <= " + (end - d - DESCRIPTOR) / 4 + " to fit the return data length)");
            groups.add(descriptor(buf, d, ports));
            d = next;
        }
        return new TargetPortGroups(extended, transition, groups);
    }

    public static TargetPortGroups parse(byte[] data) {
        return parse(Wire.wrap(data));
    }

    private static PortGroup descriptor(ByteBuf buf, int d, int ports) {
        List<Integer> rtp = new ArrayList<>(ports);
        for (int i = 0; i < ports; i++) rtp.add(buf.getUnsignedShort(d + DESCRIPTOR + 4 * i + 2));
        int b0 = buf.getUnsignedByte(d);
        return new PortGroup(buf.getUnsignedShort(d + 2), b0 & 0x0F, (b0 & 0x80) != 0, buf.getUnsignedByte(d + 1),
                buf.getUnsignedByte(d + 5), buf.getUnsignedByte(d + 6), rtp);
    }

    /** Encodes this answer as a device would send it (the simulator's RTPG), with or without the extended header. */
    public byte[] toBytes() {
        int len = extendedHeader ? EXTENDED_HEADER : HEADER;
        for (PortGroup g : groups) len += DESCRIPTOR + 4 * g.relativeTargetPorts.size();
        byte[] b = new byte[len];
        Wire.putInt(b, 0, len - 4);
        if (extendedHeader) {
            b[4] = 0x10;
            b[5] = (byte) implicitTransitionTime;
        }
        int d = extendedHeader ? EXTENDED_HEADER : HEADER;
        for (PortGroup g : groups) {
            b[d] = (byte) g.aasByte();
            b[d + 1] = (byte) g.supportedStates;
            Wire.putShort(b, d + 2, g.id);
            b[d + 5] = (byte) g.statusCode;
            b[d + 6] = (byte) g.vendorSpecific;
            b[d + 7] = (byte) g.relativeTargetPorts.size();
            for (int i = 0; i < g.relativeTargetPorts.size(); i++)
                Wire.putShort(b, d + DESCRIPTOR + 4 * i + 2, g.relativeTargetPorts.get(i));
            d += DESCRIPTOR + 4 * g.relativeTargetPorts.size();
        }
        return b;
    }
}
