package io.mpathgw.gateway.nbd;

/**
 * Limits of every connection of one server.
 *
 * @param maxPayload     NBD_INFO_BLOCK_SIZE maximum: the longest READ or WRITE accepted (longer ones get EINVAL)
 * @param maxOutstanding requests of one connection handed to the device and not answered yet; at this many the
 *                       connection stops reading from its socket
 */
record NbdSettings(int maxPayload, int maxOutstanding) {

    NbdSettings {
        if (maxPayload < 65536 || Integer.bitCount(maxPayload) != 1)
            throw new IllegalArgumentException("maximum payload: " + maxPayload
                    + " (expected: a power of 2, >= 65536; proto.md lets clients assume 64 KiB)");
        if (maxOutstanding < 1)
            throw new IllegalArgumentException("maximum outstanding requests: " + maxOutstanding + " (expected: >= 1)");
    }
}
