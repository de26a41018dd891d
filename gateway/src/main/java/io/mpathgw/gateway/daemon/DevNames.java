package io.mpathgw.gateway.daemon;

import io.mpathgw.gateway.config.AliasBindings;

/**
 * Linux's names for SCSI disks, so a path reads as an admin expects: {@code sda}, {@code sdb}, … {@code sdz},
 * {@code sdaa} (sd_format_disk_name), and its dev_t: 16 minors per disk, major 8 for the first 16 disks, then the
 * SCSI_DISK1..7 majors 65..71, then SCSI_DISK8..15 128..135 (256 disks in all, as sd without extended minors).
 */
final class DevNames {

    static final int MAX_DISKS = 256;

    private DevNames() {
    }

    /** "sda" for 0, "sdz" for 25, "sdaa" for 26: bijective base 26, as sd_format_disk_name. */
    static String dev(int index) {
        check(index);
        return "sd" + AliasBindings.suffix(index);
    }

    /** "8:0", "8:16", … "8:240", "65:0", … */
    static String devT(int index) {
        check(index);
        int block = index / 16;
        int major = block == 0 ? 8 : block < 8 ? 64 + block : 120 + block;
        return major + ":" + (index % 16) * 16;
    }

    private static void check(int index) {
        if (index < 0 || index >= MAX_DISKS)
            throw new IllegalArgumentException("disk index: " + index + " (expected: 0.." + (MAX_DISKS - 1)
                    + ", the sd majors 8, 65-71, 128-135)");
    }
}
