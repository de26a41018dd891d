package io.mpathgw.iscsi.target.sbc;

import io.mpathgw.iscsi.target.Nexus;
import io.mpathgw.scsi.InquiryData;
import io.mpathgw.scsi.Lun;

import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The fixed part of an LU, as {@link SbcLogicalUnit.Builder} collected it (immutable; maps and sets are
 * unmodifiable copies). Lengths count logical blocks; 0 means "no limit" as in the Block Limits VPD page.
 */
record Settings(
        String vendor, String product, String revision, String serial, byte[] naa,
        String targetName, Function<Nexus, String> targetPortName,
        int tpgs, SortedMap<Integer, SortedSet<Integer>> portGroups,
        boolean writeProtected, boolean thin, boolean lbprz, boolean removable,
        int rotationRate, int physicalBlockExponent,
        int optimalTransferLengthGranularity, long optimalTransferLength, long maximumTransferLength,
        int maximumCompareAndWriteLength, long maximumWriteSameLength,
        long maximumUnmapLbaCount, long maximumUnmapDescriptors,
        boolean writeCacheEnabled,
        Function<Nexus, List<Lun>> luns, Interceptor interceptor,
        SortedMap<Integer, Function<Nexus, byte[]>> vendorPages) {

    boolean alua() {
        return tpgs != InquiryData.TPGS_NONE;
    }

    boolean explicitAlua() {
        return (tpgs & InquiryData.TPGS_EXPLICIT) != 0;
    }

    /** Whether {@code c} exists on this LU (UNMAP only when thin, the ALUA commands only with TPGS). */
    boolean supports(SbcCommand c) {
        return switch (c.needs) {
            case ANY -> true;
            case THIN -> thin;
            case ALUA -> alua();
            case EXPLICIT_ALUA -> explicitAlua();
        };
    }

    /** SCSI name of the target port a nexus came in through (RFC 7143 §4.4.2 {@code name,t,0xTPGT}), or null. */
    String portName(Nexus n) {
        if (targetPortName != null) return targetPortName.apply(n);
        return targetName == null ? null : String.format("%s,t,0x%04x", targetName, n.targetPortGroup());
    }

    /** An unmodifiable deep copy of a port group table. */
    static SortedMap<Integer, SortedSet<Integer>> copy(SortedMap<Integer, SortedSet<Integer>> groups) {
        TreeMap<Integer, SortedSet<Integer>> c = new TreeMap<>();
        groups.forEach((id, ports) -> c.put(id, Collections.unmodifiableSortedSet(new TreeSet<>(ports))));
        return Collections.unmodifiableSortedMap(c);
    }
}
