package io.mpathgw.iscsi.target.sbc;

import io.mpathgw.scsi.ScsiResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * What {@link SbcLogicalUnit#submit} answers: the {@link ScsiResponse} of {@link SbcLogicalUnit#execute}, plus the
 * sense bytes exactly as they should go on the wire, with the sense-key specific field (field pointer) that
 * {@link io.mpathgw.scsi.Sense} cannot hold.
 *
 * @param response    status, parsed sense, Data-In (owned by the caller) and, for Data-Out commands, the residual
 * @param senseBytes  the full sense data, or null when the response has none
 */
public record Reply(ScsiResponse response, byte[] senseBytes) {

    /** GOOD with {@code data} (ownership passes with the reply). */
    static Reply good(ByteBuf data) {
        return new Reply(ScsiResponse.good(data), null);
    }

    static Reply good(byte[] data) {
        return good(Unpooled.wrappedBuffer(data));
    }

    static Reply good() {
        return good(Unpooled.EMPTY_BUFFER);
    }

    /** CHECK CONDITION with {@code sense}. */
    static Reply check(SenseData sense) {
        return new Reply(new ScsiResponse(ScsiResponse.CHECK_CONDITION, sense.asSense(), Unpooled.EMPTY_BUFFER, 0,
                false, false), sense.toBytes());
    }

    static Reply reservationConflict() {
        return status(ScsiResponse.RESERVATION_CONFLICT);
    }

    /** A status without sense or data: RESERVATION CONFLICT, TASK SET FULL, BUSY. */
    static Reply status(int status) {
        return new Reply(new ScsiResponse(status, null, Unpooled.EMPTY_BUFFER, 0, false, false), null);
    }

    /** An answer an {@link Interceptor} made itself: its sense bytes are {@code Sense.toBytes()}. */
    static Reply of(ScsiResponse response) {
        return new Reply(response, response.sense() == null ? null : response.sense().toBytes());
    }

    /** This reply with its Data-In cut to {@code allocationLength} bytes (-1: no cut); the cut shares the buffer. */
    Reply trimmedTo(long allocationLength) {
        ByteBuf d = response.data();
        if (allocationLength < 0 || d.readableBytes() <= allocationLength) return this;
        ScsiResponse r = response;
        return new Reply(new ScsiResponse(r.status(), r.sense(), d.slice(d.readerIndex(), (int) allocationLength),
                r.residual(), r.underflow(), r.overflow()), senseBytes);
    }

    /**
     * This reply with the residual of a Data-Out command: {@code spdtl} bytes the CDB describes against the Expected
     * Data Transfer Length {@code edtl} (RFC 7143 §11.4.5.2: overflow when the command wanted more, underflow when
     * less).
     */
    Reply withResidual(long spdtl, int edtl) {
        ScsiResponse r = response;
        long edtlU = Integer.toUnsignedLong(edtl);
        if (spdtl == edtlU) return this;
        boolean over = spdtl > edtlU;
        long residual = Math.min(over ? spdtl - edtlU : edtlU - spdtl, 0xFFFF_FFFFL);
        return new Reply(new ScsiResponse(r.status(), r.sense(), r.data(), (int) residual, !over, over), senseBytes);
    }
}
