package io.mpathgw.iscsi.initiator;

import io.mpathgw.iscsi.pdu.Bhs;
import io.mpathgw.iscsi.pdu.Pdu;
import io.mpathgw.scsi.Sense;
import io.netty.buffer.ByteBuf;

import java.util.logging.Logger;

/** Async Message handling (RFC 7143 §11.9.1), on the connection's event loop. */
final class AsyncEvents {

    private static final Logger LOG = Logger.getLogger(AsyncEvents.class.getName());

    static final int SCSI_ASYNC_EVENT = 0, LOGOUT_REQUEST = 1, CONNECTION_DROP = 2, SESSION_DROP = 3,
            RENEGOTIATE = 4, VENDOR = 255;

    private AsyncEvents() {
    }

    static void handle(Connection conn, Pdu pdu) {
        Bhs bhs = pdu.bhs();
        switch (bhs.asyncEvent()) {
            case SCSI_ASYNC_EVENT -> {
                Sense sense = sense(pdu.data());
                if (sense != null) conn.session.asyncSense(bhs.lun(), sense);
            }
            // Parameter3: seconds the target waits for our logout; we log out at once and log in again
            case LOGOUT_REQUEST -> conn.session.targetRequestedLogout(conn, bhs.parameter3());
            // Parameter2: Time2Wait before we may reconnect (seconds)
            case CONNECTION_DROP, SESSION_DROP -> conn.session.targetDropped(conn, bhs.asyncEvent() == SESSION_DROP
                    ? "target dropped the session (Async Message 3)" : "target dropped the connection (Async Message 2)",
                    bhs.parameter2());
            case RENEGOTIATE -> conn.session.renegotiate(conn);
            default -> LOG.info(String.format("%s: Async Message event %d vcode %d ignored",
                    conn.session.describe(), bhs.asyncEvent(), bhs.asyncVCode()));
        }
    }

    /** Data segment of AsyncEvent 0: SenseLength (2 bytes), sense data, then iSCSI event data. */
    private static Sense sense(ByteBuf data) {
        if (data.readableBytes() < 3) return null;
        int len = data.getUnsignedShort(data.readerIndex());
        if (len == 0 || len > data.readableBytes() - 2) return null;
        try {
            return Sense.parse(data, data.readerIndex() + 2, len);
        } catch (IllegalArgumentException e) {
            LOG.warning("Async Message sense ignored: " + e.getMessage());
            return null;
        }
    }
}
