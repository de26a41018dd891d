package io.mpathgw.dm.table;

import java.util.Set;

/**
 * The per-path hardware handler set-up of {@code parse_path} (spec §1.6): attach the named handler, then hand it the
 * parameters. Called once per path entry when the table names a handler. The handler package will supply the real
 * one (from its registry, with each handler's own parameter checks); {@link #KERNEL_NAMES} stands in until then.
 */
@FunctionalInterface
public interface HandlerAttach {

    String ATTACH_FAILED = "error attaching hardware handler";
    String PARAMS_FAILED = "unable to set hardware handler parameters";

    void attach(String pathName, HwHandlerSpec handler) throws TableException;

    /**
     * The kernel's four handlers by name (spec §6): another name cannot attach; rdac and hp_sw have no
     * {@code set_params}, so any parameter fails. alua's and emc's parameter values are not checked here.
     */
    HandlerAttach KERNEL_NAMES = (pathName, handler) -> {
        if (!Set.of("alua", "emc", "rdac", "hp_sw").contains(handler.name()))
            throw new TableException(ATTACH_FAILED, "path " + pathName + ": hardware handler '" + handler.name()
                    + "' (expected: alua, emc, rdac or hp_sw)");
        if (!handler.params().isEmpty() && Set.of("rdac", "hp_sw").contains(handler.name()))
            throw new TableException(PARAMS_FAILED, "path " + pathName + ": " + handler.name()
                    + " takes no parameters, got " + handler.params());
    };
}
