package io.mpathgw.gateway.nbd;

/**
 * What a request must satisfy before it reaches the device, with the error proto.md names for each breach:
 * EINVAL for an unknown command or flag, a flag not documented for the command, a zero or too long length, an
 * offset or length not a multiple of the block size, a range past the end (ENOSPC for writes and write-zeroes),
 * EPERM for a change to a read-only export.
 */
final class NbdRequestCheck {

    private NbdRequestCheck() {
    }

    /** The error to answer {@code rq} with, or null if it may go to the device. */
    static NbdError check(NbdRequest rq, NbdExport export, boolean structuredReplies, boolean blockStatus,
                          int maxPayload) {
        int type = rq.type();
        String cmd = Nbd.commandName(type);
        boolean known = type == Nbd.NBD_CMD_READ || type == Nbd.NBD_CMD_WRITE || type == Nbd.NBD_CMD_DISC
                || type == Nbd.NBD_CMD_FLUSH || type == Nbd.NBD_CMD_TRIM || type == Nbd.NBD_CMD_WRITE_ZEROES
                || (type == Nbd.NBD_CMD_BLOCK_STATUS && blockStatus);
        if (!known)
            return einval(cmd + ": not supported (expected: NBD_CMD_READ, WRITE, DISC, FLUSH, TRIM, WRITE_ZEROES"
                    + (blockStatus ? ", BLOCK_STATUS" : "; BLOCK_STATUS after NBD_OPT_SET_META_CONTEXT") + ")");
        int allowed = Nbd.NBD_CMD_FLAG_FUA | switch (type) {
            case Nbd.NBD_CMD_READ -> structuredReplies ? Nbd.NBD_CMD_FLAG_DF : 0;
            case Nbd.NBD_CMD_WRITE_ZEROES -> Nbd.NBD_CMD_FLAG_NO_HOLE;
            case Nbd.NBD_CMD_BLOCK_STATUS -> Nbd.NBD_CMD_FLAG_REQ_ONE;
            default -> 0;
        };
        if ((rq.flags() & ~allowed) != 0)
            return einval(String.format("%s command flags: 0x%04x (expected: only 0x%04x)", cmd, rq.flags(), allowed));
        if (type == Nbd.NBD_CMD_DISC) return null;
        if (type == Nbd.NBD_CMD_FLUSH)
            return rq.offset() == 0 && rq.length() == 0 ? null : einval(cmd + " offset: " + rq.offset()
                    + ", length: " + rq.length() + " (expected: both 0)");
        boolean changes = type == Nbd.NBD_CMD_WRITE || type == Nbd.NBD_CMD_TRIM || type == Nbd.NBD_CMD_WRITE_ZEROES;
        if (changes && export.readOnly())
            return new NbdError(Nbd.EPERM, cmd + ": export \"" + export.name() + "\" is read-only");
        if (rq.tooLong() || (type == Nbd.NBD_CMD_READ && rq.length() > maxPayload))
            return einval(cmd + " length: " + rq.length() + " (expected: <= " + maxPayload
                    + ", the maximum block size)");
        if (rq.length() == 0) return einval(cmd + " length: 0 (expected: > 0)");
        long size = export.size();
        if (rq.offset() < 0 || rq.offset() > size || rq.length() > size - rq.offset())
            return new NbdError(type == Nbd.NBD_CMD_WRITE || type == Nbd.NBD_CMD_WRITE_ZEROES ? Nbd.ENOSPC
                    : Nbd.EINVAL, cmd + " offset: " + Long.toUnsignedString(rq.offset()) + ", length: " + rq.length()
                    + " (expected: offset + length <= export size " + size + ")");
        if (type == Nbd.NBD_CMD_BLOCK_STATUS) return null;          // a query; any byte range will do
        int bs = export.minimumBlockSize();
        if (rq.offset() % bs != 0 || rq.length() % bs != 0)
            return einval(cmd + " offset: " + rq.offset() + ", length: " + rq.length()
                    + " (expected: multiples of the minimum block size " + bs + ")");
        return null;
    }

    private static NbdError einval(String message) {
        return new NbdError(Nbd.EINVAL, message);
    }
}
