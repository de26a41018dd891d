package io.mpathgw.dm.handler;

import io.mpathgw.dm.Registry;
import io.mpathgw.dm.table.HandlerAttach;
import io.mpathgw.dm.table.TableException;

import java.util.List;

/** The hardware handlers, by the names a table gives them (spec §1.3, §6). */
public final class HardwareHandlers {

    /** The kernel's four scsi_dh handlers, looked up by exact name ("ALUA" is not "alua"). */
    public static final Registry<HardwareHandler> REGISTRY = new Registry<>("hardware handler", List.of(
            AluaHandler.INSTANCE, RdacHandler.INSTANCE, EmcHandler.INSTANCE, HpSwHandler.INSTANCE));

    /** {@link #tableAttach(Registry)} over {@link #REGISTRY}: what a table load checks per path. */
    public static final HandlerAttach TABLE_ATTACH = tableAttach(REGISTRY);

    private HardwareHandlers() {
    }

    /**
     * The table-load half of {@code parse_path}'s handler set-up (spec §1.6), for {@code MultipathTable.parse}: a
     * name the registry does not know fails with "error attaching hardware handler", parameters the handler's
     * set_params refuses with "unable to set hardware handler parameters". The device half (attach commands) runs
     * when a path is bound to its session: {@link HardwareHandler#attach}.
     */
    public static HandlerAttach tableAttach(Registry<HardwareHandler> registry) {
        return (pathName, spec) -> {
            HardwareHandler h = registry.find(spec.name()).orElseThrow(() -> new TableException(
                    HandlerAttach.ATTACH_FAILED, "path " + pathName + ": hardware handler '" + spec.name()
                    + "' (expected: " + names(registry) + ")"));
            if (spec.params().isEmpty()) return;
            try {
                h.checkParams(spec.params());
            } catch (TableException e) {
                throw new TableException(e.getMessage(), "path " + pathName + ": " + e.detail());
            }
        };
    }

    private static String names(Registry<HardwareHandler> registry) {
        return String.join(", ", registry.all().stream().map(HardwareHandler::name).toList());
    }
}
