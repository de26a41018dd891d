package io.mpathgw.dm.engine;

/**
 * The map's running totals behind {@link MapStats}: plain fields, written on the map thread where the event happens
 * (no lock, no allocation per request).
 */
final class MapCounters {

    long reads;
    long writes;
    long others;
    long readBytes;
    long writeBytes;
    long errors;
    long queueingNanos;
    /** nanoTime the map started holding I/O for lack of a path; -1 while it is not. */
    long queueingSince = -1;
    long queueingTimeouts;
    long groupSwitches;
    /** pg_num of the group I/O last went to (0: none yet); a table reload keeps it, so a reload is no switch. */
    int lastPgNum;
    long pathFaults;
    long mapLoads = 1;
    long mapFailures;

    /** A request completed to the client. */
    void completed(MapRequest rq, BlkStatus status) {
        if (status != BlkStatus.OK) {
            errors++;
            return;
        }
        switch (rq.op()) {
            case READ -> {
                reads++;
                readBytes += rq.nrBytes();
            }
            case WRITE, WRITE_SAME -> {
                writes++;
                writeBytes += rq.nrBytes();
            }
            case FLUSH, DISCARD -> others++;
        }
    }

    /** __switch_pg to group {@code pgNum}: a switch when I/O went to another group before. */
    void groupChosen(int pgNum) {
        if (lastPgNum != 0 && lastPgNum != pgNum) groupSwitches++;
        lastPgNum = pgNum;
    }

    void holding(boolean on, long now) {
        if (on && queueingSince < 0) queueingSince = now;
        else if (!on && queueingSince >= 0) {
            queueingNanos += now - queueingSince;
            queueingSince = -1;
        }
    }

    MapStats snapshot(long now) {
        long q = queueingNanos + (queueingSince >= 0 ? now - queueingSince : 0);
        return new MapStats(reads, writes, others, readBytes, writeBytes, errors, q, queueingTimeouts,
                groupSwitches, pathFaults, mapLoads, mapFailures);
    }
}
