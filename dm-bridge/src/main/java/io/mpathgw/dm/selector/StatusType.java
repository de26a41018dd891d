package io.mpathgw.dm.selector;

/** STATUSTYPE_INFO (`dmsetup status`) or STATUSTYPE_TABLE (`dmsetup table`). */
public enum StatusType {
    INFO, TABLE
}
