package io.mpathgw.dm.engine;

import io.mpathgw.dm.selector.StatusType;
import io.mpathgw.dm.table.DmEmit;
import io.mpathgw.dm.table.TableFormat;

/** multipath_status: STATUSTYPE_INFO and STATUSTYPE_TABLE of a live map (spec §2.1, §2.2). */
final class StatusWriter {

    private StatusWriter() {
    }

    /** {@code dmsetup table}: the current queue_if_no_path, PG field next ?: current ?: 1. */
    static String table(MultipathDevice m) {
        DmEmit out = new DmEmit();
        TableFormat.header(out, m.features, m.queueIfNoPath, m.hwHandler, m.groups.size(), m.pgNum());
        for (PriorityGroup pg : m.groups) TableFormat.group(out, pg.type, pg.selector, pg.paths);
        return out.toString();
    }

    /**
     * {@code dmsetup status}: {@code 2 <queue_io> <pg_init_count> 0 <#PGs> <pg_num>}, then per group its letter
     * (D bypassed, else A current, else E) and per path {@code <name> <A|F> <fail_count>} with the selector's words.
     */
    static String status(MultipathDevice m) {
        DmEmit out = new DmEmit();
        out.number(2).number(m.queueIo ? 1 : 0).number(m.pgInitCount);
        out.number(0);                                       // handler status: always 0, even with alua
        out.number(m.groups.size()).number(m.pgNum());
        for (PriorityGroup pg : m.groups) {
            out.letter(m.groupState(pg));
            out.words(pg.selector.groupStatus(StatusType.INFO));
            out.number(pg.paths.size()).number(pg.type.infoArgs());
            for (Path p : pg.paths) {
                out.token(p.name()).letter(p.active ? 'A' : 'F').number(p.failCount);
                out.words(pg.selector.pathStatus(p, StatusType.INFO));
            }
        }
        return out.toString();
    }
}
