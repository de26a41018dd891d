package io.mpathgw.gateway.nbd;

import io.netty.buffer.ByteBuf;

/**
 * One transmission-phase request as the client sent it (proto.md "Request message").
 *
 * @param flags   command flags (NBD_CMD_FLAG_*)
 * @param type    NBD_CMD_*
 * @param handle  echoed in every reply to it
 * @param offset  unsigned; a value past 2^63 reads as negative and is refused as out of range
 * @param length  unsigned 32 bits
 * @param payload an NBD_CMD_WRITE's data: a retained slice of the received buffer, owned by whoever handles the
 *                request; null for other commands and for a write longer than the maximum payload
 * @param tooLong an NBD_CMD_WRITE whose payload exceeded the maximum and is being skipped, not kept
 */
record NbdRequest(int flags, int type, long handle, long offset, long length, ByteBuf payload, boolean tooLong) {

    @Override
    public String toString() {
        return String.format("%s handle 0x%016x offset %d length %d flags 0x%x", Nbd.commandName(type), handle,
                offset, length, flags);
    }
}
