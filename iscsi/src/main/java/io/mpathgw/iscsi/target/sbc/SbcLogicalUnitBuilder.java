package io.mpathgw.iscsi.target.sbc;

import io.mpathgw.iscsi.target.Nexus;
import io.mpathgw.scsi.BlockDevice;
import io.mpathgw.scsi.InquiryData;
import io.mpathgw.scsi.Lun;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Settings of an {@link SbcLogicalUnit}; everything but {@link #serial} has a default. Lengths count logical blocks.
 * Not thread-safe; {@link #build} may be called more than once.
 */
public final class SbcLogicalUnitBuilder {

    /**
     * IEEE COMPANY_ID of the default NAA designator. A placeholder with the locally-administered bit of the first
     * octet set, so it is no registered OUI: give {@link #naa} the array's own designator when re-exporting a LUN.
     */
    public static final int DEFAULT_COMPANY_ID = 0x0A6D67;

    private final BlockDevice device;
    private String vendor = "MPATHGW";
    private String product = "VIRTUAL DISK";
    private String revision = "0001";
    private String serial;
    private byte[] naa;
    private String targetName;
    private Function<Nexus, String> targetPortName;
    private int tpgs = InquiryData.TPGS_NONE;
    private final SortedMap<Integer, SortedSet<Integer>> portGroups = new TreeMap<>();
    private boolean writeProtected;
    private Boolean thin;
    private boolean lbprz;
    private boolean removable;
    private int rotationRate = 1;
    private int physicalBlockExponent;
    private long optimalTransferLength = -1;
    private long maximumTransferLength = -1;
    private int maximumCompareAndWriteLength = 255;
    private long maximumWriteSameLength = -1;
    private long maximumUnmapLbaCount = 0xFFFF_FFFFL;
    private long maximumUnmapDescriptors = 4095;
    private boolean writeCacheEnabled = true;
    private Function<Nexus, List<Lun>> luns;
    private Interceptor interceptor;
    private final SortedMap<Integer, Function<Nexus, byte[]>> vendorPages = new TreeMap<>();

    SbcLogicalUnitBuilder(BlockDevice device) {
        if (device == null) throw new IllegalArgumentException("device: null (expected: a block device)");
        this.device = device;
    }

    /** T10 VENDOR IDENTIFICATION, at most 8 ASCII characters; default {@code MPATHGW}. */
    public SbcLogicalUnitBuilder vendor(String v) {
        vendor = ascii("vendor", v, 8);
        return this;
    }

    /** PRODUCT IDENTIFICATION, at most 16 ASCII characters. */
    public SbcLogicalUnitBuilder product(String v) {
        product = ascii("product", v, 16);
        return this;
    }

    /** PRODUCT REVISION LEVEL, at most 4 ASCII characters. */
    public SbcLogicalUnitBuilder revision(String v) {
        revision = ascii("revision", v, 4);
        return this;
    }

    /** Unit serial number (VPD page 0x80), required; also the seed of the default NAA designator. */
    public SbcLogicalUnitBuilder serial(String v) {
        serial = ascii("serial", v, 252);
        if (serial.isEmpty()) throw new IllegalArgumentException("serial: \"\" (expected: 1..252 ASCII characters)");
        return this;
    }

    /**
     * The NAA designator of VPD page 0x83 — the WWID initiators see. 16 bytes (NAA 6) or 8 (NAA 2, 3, 5); a gateway
     * passes the array's own so the re-exported LUN keeps its WWID. Default: NAA 6 with
     * {@link #DEFAULT_COMPANY_ID} and 100 bits of SHA-256 of vendor, product and serial.
     */
    public SbcLogicalUnitBuilder naa(byte[] designator) {
        int kind = designator.length == 0 ? 0 : (designator[0] & 0xF0) >> 4;
        boolean ok = designator.length == 16 ? kind == 6 : designator.length == 8 && (kind == 2 || kind == 3
                || kind == 5);
        if (!ok) throw new IllegalArgumentException("naa: " + java.util.HexFormat.of().formatHex(designator)
                + " (expected: 16 bytes of NAA 6, or 8 bytes of NAA 2, 3 or 5)");
        naa = designator.clone();
        return this;
    }

    /** The target's iSCSI name: SCSI name string designators of the target port and device in page 0x83. */
    public SbcLogicalUnitBuilder targetName(String iqn) {
        targetName = iqn;
        return this;
    }

    /** The SCSI target port name of a nexus; default {@code targetName,t,0xTPG} with the nexus's port group. */
    public SbcLogicalUnitBuilder targetPortName(Function<Nexus, String> name) {
        targetPortName = name;
        return this;
    }

    /** TPGS of the standard INQUIRY data (0 none, 1 implicit, 2 explicit, 3 both); with it come RTPG (and STPG). */
    public SbcLogicalUnitBuilder tpgs(int v) {
        if (v < 0 || v > 3) throw new IllegalArgumentException("tpgs: " + v + " (expected: 0..3)");
        tpgs = v;
        return this;
    }

    /** A target port group and its relative target ports, for REPORT TARGET PORT GROUPS (nexuses add theirs). */
    public SbcLogicalUnitBuilder portGroup(int id, int... relativeTargetPorts) {
        range("target port group", id, 0, 0xFFFF);
        SortedSet<Integer> ports = portGroups.computeIfAbsent(id, k -> new TreeSet<>());
        for (int p : relativeTargetPorts) ports.add((int) range("relative target port", p, 1, 0xFFFF));
        return this;
    }

    /** Refuse every write with DATA PROTECT, WRITE PROTECTED (27/00); MODE SENSE shows WP. */
    public SbcLogicalUnitBuilder writeProtected(boolean v) {
        writeProtected = v;
        return this;
    }

    /** Thin provisioning: LBPME, UNMAP, WRITE SAME with UNMAP. Default: whether the device can unmap. */
    public SbcLogicalUnitBuilder thinProvisioning(boolean v) {
        if (v && !device.unmapSupported())
            throw new IllegalArgumentException("thin provisioning: true (expected: false, the device cannot unmap)");
        thin = v;
        return this;
    }

    /** LBPRZ: deallocated blocks read back as zeroes (true of {@link io.mpathgw.scsi.MemoryBlockDevice}). */
    public SbcLogicalUnitBuilder unmappedReadsZero(boolean v) {
        lbprz = v;
        return this;
    }

    /** RMB: START STOP UNIT with LOEJ ejects and loads, PREVENT ALLOW MEDIUM REMOVAL is kept per nexus. */
    public SbcLogicalUnitBuilder removable(boolean v) {
        removable = v;
        return this;
    }

    /** MEDIUM ROTATION RATE of VPD page 0xB1: 1 non-rotating (default), 0 not reported, else rpm. */
    public SbcLogicalUnitBuilder rotationRate(int v) {
        rotationRate = (int) range("rotation rate", v, 0, 0xFFFE);
        return this;
    }

    /** LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT of READ CAPACITY(16), e.g. 3 for 512-byte blocks on 4 KiB. */
    public SbcLogicalUnitBuilder physicalBlockExponent(int v) {
        physicalBlockExponent = (int) range("physical block exponent", v, 0, 15);
        return this;
    }

    /** OPTIMAL TRANSFER LENGTH (VPD 0xB0); default 1 MiB worth of blocks. */
    public SbcLogicalUnitBuilder optimalTransferLength(long blocks) {
        optimalTransferLength = range("optimal transfer length", blocks, 0, 0xFFFF_FFFFL);
        return this;
    }

    /** MAXIMUM TRANSFER LENGTH (VPD 0xB0): longer READ/WRITE/VERIFY get INVALID FIELD IN CDB; default 8 MiB. */
    public SbcLogicalUnitBuilder maximumTransferLength(long blocks) {
        maximumTransferLength = range("maximum transfer length", blocks, 0, 0xFFFF_FFFFL);
        return this;
    }

    /** MAXIMUM COMPARE AND WRITE LENGTH, 0..255 blocks; default 255. */
    public SbcLogicalUnitBuilder maximumCompareAndWriteLength(int blocks) {
        maximumCompareAndWriteLength = (int) range("maximum compare and write length", blocks, 0, 255);
        return this;
    }

    /** MAXIMUM WRITE SAME LENGTH; 0 means no limit; default 1 GiB worth of blocks. */
    public SbcLogicalUnitBuilder maximumWriteSameLength(long blocks) {
        maximumWriteSameLength = range("maximum write same length", blocks, 0, Long.MAX_VALUE);
        return this;
    }

    /** MAXIMUM UNMAP LBA COUNT per descriptor (FFFFFFFFh: no limit, the default). */
    public SbcLogicalUnitBuilder maximumUnmapLbaCount(long blocks) {
        maximumUnmapLbaCount = range("maximum unmap lba count", blocks, 1, 0xFFFF_FFFFL);
        return this;
    }

    /** MAXIMUM UNMAP BLOCK DESCRIPTOR COUNT; default 4095, all that fit a parameter list. */
    public SbcLogicalUnitBuilder maximumUnmapDescriptors(long count) {
        maximumUnmapDescriptors = range("maximum unmap block descriptor count", count, 1, 0xFFFF_FFFFL);
        return this;
    }

    /** WCE of the caching mode page at power on (default true); with WCE 0 every write goes with FUA. */
    public SbcLogicalUnitBuilder writeCacheEnabled(boolean v) {
        writeCacheEnabled = v;
        return this;
    }

    /** The LUN inventory REPORT LUNS answers for a nexus (LUN masking); default: the addressed LUN alone. */
    public SbcLogicalUnitBuilder luns(Function<Nexus, List<Lun>> inventory) {
        luns = inventory;
        return this;
    }

    /** A personality's hook, consulted before the LU executes a command. */
    public SbcLogicalUnitBuilder interceptor(Interceptor i) {
        interceptor = i;
        return this;
    }

    /** A vendor VPD page (e.g. 0xC0 of EMC), listed in page 0x00; {@code page} returns it whole, with its header. */
    public SbcLogicalUnitBuilder vpdPage(int code, Function<Nexus, byte[]> page) {
        range("vendor VPD page code", code, 0xC0, 0xFF);
        vendorPages.put(code, page);
        return this;
    }

    public SbcLogicalUnit build() {
        if (serial == null) throw new IllegalStateException("serial: not set (expected: a unit serial number)");
        int bs = device.blockSize();
        Settings s = new Settings(vendor, product, revision, serial, naa != null ? naa : defaultNaa(),
                targetName, targetPortName, tpgs, Settings.copy(portGroups), writeProtected,
                thin != null ? thin : device.unmapSupported(), lbprz, removable, rotationRate, physicalBlockExponent,
                1 << physicalBlockExponent, optimalTransferLength >= 0 ? optimalTransferLength : (1 << 20) / bs,
                maximumTransferLength >= 0 ? maximumTransferLength : (8 << 20) / bs, maximumCompareAndWriteLength,
                maximumWriteSameLength >= 0 ? maximumWriteSameLength : (1L << 30) / bs, maximumUnmapLbaCount,
                maximumUnmapDescriptors, writeCacheEnabled, luns, interceptor,
                Collections.unmodifiableSortedMap(new TreeMap<>(vendorPages)));
        return new SbcLogicalUnit(device, s);
    }

    /** NAA 6: the company id in the 24 bits after the NAA nibble, then 100 bits of SHA-256(vendor, product, serial). */
    private byte[] defaultNaa() {
        byte[] h;
        try {
            h = MessageDigest.getInstance("SHA-256").digest((vendor + "\0" + product + "\0" + serial)
                    .getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256: missing (expected: in every Java runtime)", e);
        }
        byte[] d = new byte[16];
        d[0] = (byte) (0x60 | DEFAULT_COMPANY_ID >> 20);
        d[1] = (byte) (DEFAULT_COMPANY_ID >> 12);
        d[2] = (byte) (DEFAULT_COMPANY_ID >> 4);
        d[3] = (byte) ((DEFAULT_COMPANY_ID & 0x0F) << 4 | h[0] & 0x0F);
        System.arraycopy(h, 1, d, 4, 12);
        return d;
    }

    private static String ascii(String field, String v, int max) {
        if (v == null || v.length() > max || !v.chars().allMatch(c -> c >= 0x20 && c <= 0x7E))
            throw new IllegalArgumentException(field + ": " + (v == null ? "null" : "\"" + v + "\"")
                    + " (expected: at most " + max + " printable ASCII characters)");
        return v;
    }

    private static long range(String field, long v, long min, long max) {
        if (v < min || v > max)
            throw new IllegalArgumentException(field + ": " + v + " (expected: " + min + ".." + max + ")");
        return v;
    }
}
