package io.mpathgw.gateway.nbd;

import io.mpathgw.scsi.BlockDeviceException;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.Sense;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * An NBD error value with the message sent beside it in a structured error chunk. How a {@link BlockDevice}
 * failure becomes one (proto.md "Error values"): a request no SCSI command could express is EINVAL, a range past
 * the end is EINVAL (ENOSPC for writes, as proto.md asks), DATA PROTECT and RESERVATION CONFLICT are EPERM, anything
 * else the LU or the paths failed is EIO.
 *
 * @param errno   the error value (EPERM, EIO, EINVAL, ENOSPC, EOVERFLOW, ESHUTDOWN)
 * @param message what was wrong, for a human
 */
record NbdError(int errno, String message) {

    static NbdError of(Throwable failure, boolean writing) {
        Throwable t = unwrap(failure);
        String m = t.getMessage() == null ? t.toString() : t.getMessage();
        if (t instanceof IllegalArgumentException) return new NbdError(Nbd.EINVAL, m);
        if (t instanceof BlockDeviceException b) {
            Sense s = b.sense();
            if (b.status() == ScsiResponse.RESERVATION_CONFLICT) return new NbdError(Nbd.EPERM, m);
            if (s != null && s.senseKey() == Sense.DATA_PROTECT) return new NbdError(Nbd.EPERM, m);
            if (s != null && s.asc() == 0x21 && s.senseKey() == Sense.ILLEGAL_REQUEST)
                return new NbdError(writing ? Nbd.ENOSPC : Nbd.EINVAL, m);
            if (s != null && s.senseKey() == Sense.ILLEGAL_REQUEST) return new NbdError(Nbd.EINVAL, m);
        }
        return new NbdError(Nbd.EIO, m);
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null)
            t = t.getCause();
        return t;
    }
}
