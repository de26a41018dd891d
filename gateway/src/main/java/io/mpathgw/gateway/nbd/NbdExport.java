package io.mpathgw.gateway.nbd;

import io.mpathgw.scsi.BlockDevice;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One device the {@link NbdServer} offers under a name.
 *
 * @param name        what a client asks for in NBD_OPT_GO / NBD_OPT_EXPORT_NAME (UTF-8, no NUL, at most 4096 bytes)
 * @param description NBD_INFO_DESCRIPTION, shown by {@code nbdinfo}; may be empty
 * @param device      what requests go to; the export does not own it (closing the server leaves it open)
 * @param readOnly    NBD_FLAG_READ_ONLY: writes, trims and write-zeroes fail with EPERM
 */
public record NbdExport(String name, String description, BlockDevice device, boolean readOnly) {

    public NbdExport {
        Objects.requireNonNull(device, "device");
        checkString("export name", name);
        checkString("export description", description);
    }

    /** The export's size in bytes (NBD_INFO_EXPORT), from the device's current capacity. */
    public long size() {
        return device.blockCount() * device.blockSize();
    }

    /** The 16 transmission flags this export is offered with; NBD_FLAG_SEND_DF only with structured replies. */
    int transmissionFlags(boolean structuredReplies) {
        int f = Nbd.NBD_FLAG_HAS_FLAGS | Nbd.NBD_FLAG_SEND_FLUSH | Nbd.NBD_FLAG_SEND_FUA | Nbd.NBD_FLAG_SEND_TRIM
                | Nbd.NBD_FLAG_SEND_WRITE_ZEROES
                // the gateway caches nothing: a reply goes out only once the device completed the request, so a
                // flush or FUA seen by one connection covers what every connection was told was written
                | Nbd.NBD_FLAG_CAN_MULTI_CONN;
        if (readOnly) f |= Nbd.NBD_FLAG_READ_ONLY;
        if (structuredReplies) f |= Nbd.NBD_FLAG_SEND_DF;   // a read is always answered with one data chunk
        return f;
    }

    /** NBD_INFO_BLOCK_SIZE minimum: requests must be aligned to the device's logical block. */
    int minimumBlockSize() {
        return device.blockSize();
    }

    /** NBD_INFO_BLOCK_SIZE preferred: at least a 4 KiB page, so small I/O does not straddle blocks. */
    int preferredBlockSize() {
        return Math.max(4096, device.blockSize());
    }

    private static void checkString(String field, String s) {
        Objects.requireNonNull(s, field);
        int bytes = s.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > Nbd.MAX_STRING)
            throw new IllegalArgumentException(field + ": " + bytes + " bytes (expected: <= " + Nbd.MAX_STRING
                    + ", NBD strings)");
        if (s.indexOf('\0') >= 0)
            throw new IllegalArgumentException(field + ": \"" + s.replace('\0', '?')
                    + "\" (expected: no NUL character)");
    }
}
