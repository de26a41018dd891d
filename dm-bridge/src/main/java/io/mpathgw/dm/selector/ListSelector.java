package io.mpathgw.dm.selector;

import io.mpathgw.dm.table.TableException;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * What rr, ql, st and hst share (spec §5): a valid and a failed list; {@code fail_path} moves the path to the head
 * of the failed list; selection looks only at the valid list. Paths are found by identity, so the engine passes
 * the very objects it added; a lookup allocates nothing.
 * <p>
 * Fail and reinstate are idempotent here (the kernel's target only calls them on a real transition).
 */
abstract class ListSelector<I extends PathInfo<I>> implements PathSelector {

    final PathList<I> valid = new PathList<>();
    final PathList<I> failed = new PathList<>();
    private final Map<SelectorPath, I> byPath = new IdentityHashMap<>();

    /** The path's context from its table args, or the selector's add_path error. */
    abstract I newInfo(SelectorPath p, List<String> args) throws TableException;

    abstract String infoStatus(I i);

    abstract String tableStatus(I i);

    @Override
    public final void addPath(SelectorPath p, List<String> args) throws TableException {
        if (byPath.containsKey(p)) throw new IllegalArgumentException("path added twice: " + p.name());
        I info = newInfo(p, args);
        byPath.put(p, info);
        valid.addTail(info);
    }

    @Override
    public final void failPath(SelectorPath p) {
        I i = info(p);
        if (!i.valid) return;
        i.valid = false;
        valid.remove(i);
        failed.addHead(i);
        failed(i);
    }

    @Override
    public final void reinstatePath(SelectorPath p) {
        I i = info(p);
        if (i.valid) return;
        i.valid = true;
        failed.remove(i);
        reinstated(i);
    }

    /** After {@code i} left the valid list. */
    void failed(I i) {
    }

    /** Puts {@code i} back on the valid list: at the tail for ql, st and hst. */
    void reinstated(I i) {
        valid.addTail(i);
    }

    @Override
    public String groupStatus(StatusType type) {
        return "0";
    }

    @Override
    public final String pathStatus(SelectorPath p, StatusType type) {
        I i = info(p);
        return type == StatusType.INFO ? infoStatus(i) : tableStatus(i);
    }

    final I info(SelectorPath p) {
        I i = byPath.get(p);
        if (i == null) throw notMine(p);
        return i;
    }

    private static IllegalArgumentException notMine(SelectorPath p) {
        return new IllegalArgumentException("not a path of this selector: " + (p == null ? null : p.name()));
    }
}
