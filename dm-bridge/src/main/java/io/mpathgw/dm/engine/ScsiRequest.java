package io.mpathgw.dm.engine;

import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.Sense;

/**
 * A map request that a SCSI path carries ({@link ScsiPathIo}): it builds a fresh command for every attempt and keeps
 * what the attempt that ends it brought back. Attempts of one request never overlap: the next starts only after the
 * previous one's outcome was delivered.
 */
public interface ScsiRequest extends MapRequest {

    /**
     * The command of one attempt; called from any thread. Data-Out is a buffer of its own for each attempt (a retained
     * duplicate or slice of the request's data) whose ownership passes to the transport with the command, so a
     * requeued request never hands a transport a buffer, or reader index, that an earlier attempt still owns.
     */
    ScsiCommand command();

    /**
     * The attempt ended GOOD. Ownership of {@code response} passes here. Returns null when the request takes it, or
     * why not (e.g. a short read; the request then released it and the attempt counts as a path error).
     */
    String succeeded(ScsiResponse response);

    /**
     * The attempt ended with {@code status} (not OK): the device's error with its SCSI status and sense, or a path
     * error. Called before the map learns the outcome, so that a request completed with this status can say why.
     *
     * @param scsiStatus the status byte the device answered (CHECK CONDITION, RESERVATION CONFLICT, BUSY…), or -1
     *                   when no answer came (a transport failure, a refusal before sending)
     * @param sense      the device's sense, null if none
     */
    void failed(BlkStatus status, int scsiStatus, Sense sense, String cause);
}
