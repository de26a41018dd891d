package io.mpathgw.gateway.group;

import java.util.List;

/**
 * The table's hardware handler section as multipath-tools picks it ({@code select_hwhandler}, spec §7.8, §7.9):
 * {@code "0"} or {@code "1 <name>"}.
 */
public final class HwHandlerChoice {

    /** path_get_tpgs: ALUA target port group support as the path reported it. */
    public enum Tpgs {
        /** TPGS 0: no ALUA. */
        NONE,
        /** Not known yet (e.g. the path was always down). */
        UNDEF,
        /** Implicit, explicit or both. */
        SUPPORTED
    }

    /**
     * What the choice looks at of one path.
     *
     * @param dhState the SCSI device handler attached to the path (sysfs {@code dh_state}: "alua", "rdac", …), or
     *                null / "detached" for none
     */
    public record PathHandler(String dhState, Tpgs tpgs) {
    }

    private HwHandlerChoice() {
    }

    /**
     * @param retainAttached {@code retain_attached_hw_handler} (on by default): the first path's attached handler
     *                       wins over any configured one
     * @param configured     {@code hardware_handler} from the devices section or defaults, null when set nowhere
     * @return the handler section; {@code "1 alua"} replaces the built-in default {@code "0"} when every path
     *         supports TPGS (and at least one said so), and {@code "1 alua"} becomes {@code "0"} when not
     */
    public static String select(boolean retainAttached, String configured, List<PathHandler> paths) {
        boolean allTpgs = !paths.isEmpty();
        boolean oneTpgs = false;
        for (PathHandler p : paths) {
            allTpgs &= p.tpgs() != Tpgs.NONE;
            oneTpgs |= p.tpgs() == Tpgs.SUPPORTED;
        }
        allTpgs &= oneTpgs;
        String handler = retainAttached ? attached(paths) : null;
        boolean isDefault = false;
        if (handler == null && configured != null)
            handler = CountedWords.format(CountedWords.parse("hardware_handler", configured));
        if (handler == null) {
            handler = "0";
            isDefault = true;
        }
        if (allTpgs && isDefault) return "1 alua";
        if (!allTpgs && handler.equals("1 alua")) return "0";
        return handler;
    }

    private static String attached(List<PathHandler> paths) {
        for (PathHandler p : paths)
            if (p.dhState() != null && !p.dhState().isEmpty() && !p.dhState().equals("detached"))
                return "1 " + p.dhState();
        return null;
    }
}
