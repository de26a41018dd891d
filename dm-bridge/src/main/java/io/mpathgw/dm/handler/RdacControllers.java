package io.mpathgw.dm.handler;

import java.util.HashMap;
import java.util.Map;

/**
 * scsi_dh_rdac's ctlr_list: one {@link RdacController} per array (unique id from VPD 0xC8) and controller index
 * (slot from VPD 0xC4). The kernel also keys on the SCSI host; a gateway sends a controller's MODE SELECT on any
 * session to it, so the host is not part of the key here.
 */
final class RdacControllers {

    private record Key(String arrayId, int index) {
    }

    private final Map<Key, RdacController> controllers = new HashMap<>();

    synchronized RdacController getOrCreate(String arrayId, int index, String arrayName, HandlerContext ctx) {
        return controllers.computeIfAbsent(new Key(arrayId, index),
                k -> new RdacController(arrayId, index, arrayName, ctx));
    }

    synchronized void removeIfUnused(RdacController c) {
        if (!c.hasMembers()) controllers.remove(new Key(c.arrayId, c.index), c);
    }
}
