package io.mpathgw.iscsi.sim;

import io.mpathgw.scsi.InquiryData;

import java.util.Arrays;
import java.util.Optional;

/**
 * How a simulated array behaves towards its paths, each as the kernel's scsi_dh handler of the same name expects it
 * (spec §6). The vendor and product are the ones multipath-tools and the kernel's scsi_dh device list match on, so
 * that a real host would pick the same handler.
 */
public enum Personality {
    /**
     * SPC-4 asymmetric logical unit access: one target port group per controller with an access state each,
     * REPORT and (explicit) SET TARGET PORT GROUPS, the asymmetric access state changed unit attention, NOT READY
     * 04/0A while a group transitions (scsi_dh_alua, spec §6.1).
     */
    ALUA("alua", "MPATHGW", "SIM ALUA", InquiryData.TPGS_BOTH),
    /**
     * LSI/Engenio/NetApp E-Series: one controller owns each LUN; vendor VPD pages 0xC0, 0xC2, 0xC4, 0xC8, 0xC9;
     * ownership moves by MODE SELECT of the redundant controller page 0x2C (scsi_dh_rdac, spec §6.2).
     */
    RDAC("rdac", "LSI", "INF-01-00", InquiryData.TPGS_NONE),
    /**
     * EMC CLARiiON/VNX in PNR failover mode: one storage processor owns each LUN, VPD 0xC0 tells which; the
     * other answers NOT READY 04/03; a MODE SELECT of page 0x22 trespasses the LUN (scsi_dh_emc, spec §6.3).
     */
    EMC("emc", "DGC", "RAID 5", InquiryData.TPGS_NONE),
    /**
     * HP active/standby (MSA1000, HSG80): the passive controller answers NOT READY 04/02; START STOP UNIT with
     * START=1 through it makes it active and the other passive (scsi_dh_hp_sw, spec §6.4).
     */
    HP_SW("hp_sw", "COMPAQ", "MSA1000 VOLUME", InquiryData.TPGS_NONE),
    /** Every path serves every LUN the same: no asymmetric access, no handler needed. */
    ACTIVE_ACTIVE("active-active", "MPATHGW", "SIM DISK", InquiryData.TPGS_NONE);

    private final String kernelName;
    private final String vendor;
    private final String product;
    private final int defaultTpgs;

    Personality(String kernelName, String vendor, String product, int defaultTpgs) {
        this.kernelName = kernelName;
        this.vendor = vendor;
        this.product = product;
        this.defaultTpgs = defaultTpgs;
    }

    /** The hardware handler's name ({@code alua}, {@code rdac}, {@code emc}, {@code hp_sw}), or {@code active-active}. */
    public String kernelName() {
        return kernelName;
    }

    /** T10 VENDOR IDENTIFICATION the personality reports unless the builder sets another. */
    public String defaultVendor() {
        return vendor;
    }

    /** PRODUCT IDENTIFICATION the personality reports unless the builder sets another. */
    public String defaultProduct() {
        return product;
    }

    /** TPGS of the standard INQUIRY data: both implicit and explicit for ALUA, none for the others. */
    public int defaultTpgs() {
        return defaultTpgs;
    }

    /** The personality of a kernel name as {@link #kernelName()} spells it. */
    public static Optional<Personality> of(String kernelName) {
        return Arrays.stream(values()).filter(p -> p.kernelName.equals(kernelName)).findFirst();
    }

    @Override
    public String toString() {
        return kernelName;
    }
}
