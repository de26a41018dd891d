package io.mpathgw.dm.table;

import io.mpathgw.dm.selector.PathSelector;
import io.mpathgw.dm.selector.PathSelectorType;
import io.mpathgw.dm.selector.SelectorPath;
import io.mpathgw.dm.selector.StatusType;

import java.util.List;

/** STATUSTYPE_TABLE pieces shared by a freshly parsed table and a live map (spec §2.2). */
public final class TableFormat {

    private TableFormat() {
    }

    /** {@code <#features> [features…] <0 | 1 name> <#PGs> <pg_num>}. */
    public static void header(DmEmit out, Features features, boolean queueIfNoPathNow, HwHandlerSpec handler,
                              int nrPriorityGroups, int pgNum) {
        features.emit(out, queueIfNoPathNow);
        handler.emit(out);
        out.number(nrPriorityGroups).number(pgNum);
    }

    /**
     * {@code <selector> <group table args…> <#paths> <table_args> (<path> <path table args…>)…}: the selector
     * prints its own args; the ones the table gave are not echoed (spec §2.2).
     */
    public static void group(DmEmit out, PathSelectorType type, PathSelector selector,
                             List<? extends SelectorPath> paths) {
        out.token(type.name()).words(selector.groupStatus(StatusType.TABLE));
        out.number(paths.size()).number(type.tableArgs());
        for (SelectorPath p : paths) out.token(p.name()).words(selector.pathStatus(p, StatusType.TABLE));
    }
}
