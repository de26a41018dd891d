package io.mpathgw.iscsi.target;

import io.netty.buffer.ByteBuf;

/**
 * One SCSI command as the target hands it to a {@link LogicalUnit}: the whole Data-Out already collected (after
 * immediate data, unsolicited Data-Out and every R2T), so the LU sees a command and its data in one piece.
 *
 * @param nexus          who sent it, through which port
 * @param lun            the LUN number addressed (0..16383)
 * @param cdb            the CDB (AHS-extended CDBs included)
 * @param dataOut        the Data-Out bytes, or null when the command has none; owned by the LU from
 *                       {@link LogicalUnit#execute} on, released exactly once
 * @param expectedLength Expected Data Transfer Length from the SCSI Command PDU (the allocation length for reads)
 * @param read           R bit of the SCSI Command PDU
 * @param write          W bit of the SCSI Command PDU
 */
public record ScsiTask(Nexus nexus, int lun, byte[] cdb, ByteBuf dataOut, int expectedLength, boolean read, boolean write) {
}
