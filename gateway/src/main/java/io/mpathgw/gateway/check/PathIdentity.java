package io.mpathgw.gateway.check;

/**
 * What multipathd knows about a path besides its file descriptor: the fields {@code weightedpath} matches against and
 * the names log lines carry. Strings are never null; unknown ones are "".
 *
 * @param dev     the path's device name ("sdb")
 * @param devT    "maj:min"
 * @param hcil    "host:channel:id:lun", what {@code weightedpath hbtl} matches
 * @param portal  "address:port,tpgt"
 * @param target  the target's IQN (multipath-tools' target node name of an iSCSI path)
 * @param wwid    the LU's WWID
 * @param serial  VPD 0x80 serial number
 * @param vendor  T10 vendor identification
 * @param product product identification
 */
public record PathIdentity(String dev, String devT, String hcil, String portal, String target, String wwid,
                           String serial, String vendor, String product) {

    public PathIdentity {
        dev = orEmpty(dev);
        devT = orEmpty(devT);
        hcil = orEmpty(hcil);
        portal = orEmpty(portal);
        target = orEmpty(target);
        wwid = orEmpty(wwid);
        serial = orEmpty(serial);
        vendor = orEmpty(vendor);
        product = orEmpty(product);
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
