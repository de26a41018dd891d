package io.mpathgw.dm.table;

import java.util.List;

/**
 * The hardware handler section (spec §1.3): a name and its parameters, or none. Tables print the name only;
 * parameters never appear in {@code dmsetup table} (spec §2.2).
 *
 * @param name null when the table names no handler (or bio mode dropped it)
 */
public record HwHandlerSpec(String name, List<String> params) {

    public static final HwHandlerSpec NONE = new HwHandlerSpec(null, List.of());

    public HwHandlerSpec {
        params = List.copyOf(params);
    }

    public boolean present() {
        return name != null;
    }

    /** The string {@code scsi_dh_set_params} receives: {@code "<n>\0<p1>\0<p2>\0…"}, or null without params. */
    public String scsiDhParams() {
        if (params.isEmpty()) return null;
        StringBuilder sb = new StringBuilder().append(params.size()).append('\0');
        for (String p : params) sb.append(p).append('\0');
        return sb.toString();
    }

    /** {@code 0} or {@code 1 <name>}, as the table prints it. */
    public void emit(DmEmit out) {
        if (name == null) out.number(0);
        else out.number(1).token(name);
    }
}
