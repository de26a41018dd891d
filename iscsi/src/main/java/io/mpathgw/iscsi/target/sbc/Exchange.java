package io.mpathgw.iscsi.target.sbc;

import io.mpathgw.iscsi.target.Nexus;
import io.mpathgw.iscsi.target.ScsiTask;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * One command on its way through the LU: the task, its I_T nexus state, and the Data-Out buffer until a handler
 * takes it. The pipeline releases a buffer nobody took once the handler has returned, so every path releases it
 * exactly once. A handler that needs the data later (after an asynchronous step) takes it before returning.
 */
final class Exchange {

    final ScsiTask task;
    final byte[] cdb;
    final ItNexus itNexus;
    /** The command, once looked up; null for an opcode the table does not know. */
    SbcCommand command;
    private ByteBuf dataOut;
    /** Bytes of Data-Out the CDB asks for (SPDTL), or -1 when the command sends none. */
    private long expectedDataOut = -1;

    Exchange(ScsiTask task, ItNexus itNexus) {
        this.task = task;
        this.cdb = task.cdb();
        this.itNexus = itNexus;
        this.dataOut = task.dataOut();
    }

    Nexus nexus() {
        return task.nexus();
    }

    int u8(int at) {
        return cdb[at] & 0xFF;
    }

    int u16(int at) {
        return (cdb[at] & 0xFF) << 8 | cdb[at + 1] & 0xFF;
    }

    long u32(int at) {
        return (long) u16(at) << 16 | u16(at + 2);
    }

    /** An 8-byte field; an LBA at or above 2^63 comes back negative, which range checks treat as out of range. */
    long u64(int at) {
        return u32(at) << 32 | u32(at + 4);
    }

    /**
     * Takes exactly {@code length} bytes of Data-Out: the buffer itself, or a slice of it sharing its reference count
     * when more arrived (the target reports the underflow); releasing what is returned releases the whole buffer.
     *
     * @throws CheckCondition 0E/03 when fewer bytes arrived than the CDB describes (FCP-4's choice b: no data
     *                        transferred to the medium); the pipeline releases the buffer
     */
    ByteBuf takeDataOut(long length) {
        expectedDataOut = length;
        return take(length);
    }

    /** As {@link #takeDataOut}, leaving the expected length (SPDTL) as recorded. */
    ByteBuf take(long length) {
        int have = dataOut == null ? 0 : dataOut.readableBytes();
        if (have < length) throw CheckCondition.of(CheckCondition.INVALID_FIELD_IN_INFORMATION_UNIT);
        ByteBuf d = dataOut;
        dataOut = null;
        if (d == null) return Unpooled.EMPTY_BUFFER;
        return have == length ? d : d.slice(d.readerIndex(), (int) length);
    }

    /** Records that the command sends {@code length} bytes of Data-Out, without taking them. */
    void expectDataOut(long length) {
        expectedDataOut = length;
    }

    /** Bytes of Data-Out that arrived (0 when none). */
    int dataOutLength() {
        return dataOut == null ? 0 : dataOut.readableBytes();
    }

    long expectedDataOut() {
        return expectedDataOut;
    }

    /** Hands the buffer to someone else (an interceptor that answered the task). */
    void disown() {
        dataOut = null;
    }

    /** Releases the Data-Out buffer if no handler took it. */
    void releaseDataOut() {
        ByteBuf d = dataOut;
        dataOut = null;
        if (d != null) d.release();
    }
}
