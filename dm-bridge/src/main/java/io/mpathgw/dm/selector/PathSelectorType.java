package io.mpathgw.dm.selector;

import io.mpathgw.dm.Named;
import io.mpathgw.dm.table.TableException;

import java.util.List;

/** struct path_selector_type (dm-path-selector.h): a selector by kernel name, with its arg counts. */
public interface PathSelectorType extends Named {

    /** Per-path values printed in `dmsetup table` (rr 1, ql 1, st 2, hst 1; spec §2.4). */
    int tableArgs();

    /** Per-path values printed in `dmsetup status` (rr 0, ql 1, st 2, hst 3). */
    int infoArgs();

    /** A selector for one priority group, from the group's selector args (spec §5). */
    PathSelector create(List<String> args) throws TableException;
}
