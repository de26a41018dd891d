package io.mpathgw.gateway.daemon;

import io.mpathgw.scsi.InquiryData;

import java.util.List;

/**
 * The handler the kernel attaches to a SCSI device at scan (scsi_dh.c, spec §6.0), which multipath-tools then puts in
 * the table because retain_attached_hw_handler is on (§7.9): the scsi_dh device list by INQUIRY vendor and product
 * prefix, else {@code alua} for a device that reports TPGS, else none. The list holds the entries of the kernel's
 * {@code scsi_dh_blist} (facts read from the kernel source; not a copy of it).
 */
final class ScsiDhAttach {

    private record Entry(String vendor, String productPrefix, String handler) {
    }

    private static final List<Entry> LIST = List.of(
            new Entry("DGC", "RAID", "emc"), new Entry("DGC", "DISK", "emc"), new Entry("DGC", "VRAID", "emc"),
            new Entry("COMPAQ", "MSA1000 VOLUME", "hp_sw"), new Entry("COMPAQ", "HSV110", "hp_sw"),
            new Entry("HP", "HSV100", "hp_sw"), new Entry("DEC", "HSG80", "hp_sw"),
            new Entry("IBM", "1722", "rdac"), new Entry("IBM", "1724", "rdac"), new Entry("IBM", "1726", "rdac"),
            new Entry("IBM", "1742", "rdac"), new Entry("IBM", "1745", "rdac"), new Entry("IBM", "1746", "rdac"),
            new Entry("IBM", "1813", "rdac"), new Entry("IBM", "1814", "rdac"), new Entry("IBM", "1815", "rdac"),
            new Entry("IBM", "1818", "rdac"), new Entry("IBM", "3526", "rdac"), new Entry("IBM", "3542", "rdac"),
            new Entry("IBM", "3552", "rdac"), new Entry("SGI", "TP9", "rdac"), new Entry("SGI", "IS", "rdac"),
            new Entry("STK", "OPENstorage", "rdac"), new Entry("STK", "FLEXLINE 380", "rdac"),
            new Entry("STK", "BladeCtlr", "rdac"), new Entry("SUN", "CSM", "rdac"), new Entry("SUN", "LCSM100", "rdac"),
            new Entry("SUN", "STK6580_6780", "rdac"), new Entry("SUN", "SUN_6180", "rdac"),
            new Entry("SUN", "ArrayStorage", "rdac"), new Entry("DELL", "MD3", "rdac"),
            new Entry("NETAPP", "INF-01-00", "rdac"), new Entry("LSI", "INF-01-00", "rdac"),
            new Entry("ENGENIO", "INF-01-00", "rdac"), new Entry("LENOVO", "DE_Series", "rdac"));

    private ScsiDhAttach() {
    }

    /** The attached handler's name ("alua", "rdac", "emc", "hp_sw"), or "" when the kernel attaches none. */
    static String attached(InquiryData inq) {
        for (Entry e : LIST)
            if (inq.vendor().trim().equals(e.vendor()) && inq.product().startsWith(e.productPrefix())) return e.handler();
        return inq.alua() ? "alua" : "";
    }
}
