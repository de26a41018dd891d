package io.mpathgw.dm.selector;

/**
 * A selector's per-path context ({@code struct path_info}): the path, its links in the selector's valid or
 * failed list, and whatever the selector counts for it. Moving between lists relinks; it never allocates.
 */
abstract class PathInfo<I extends PathInfo<I>> {

    final SelectorPath path;
    I prev;
    I next;
    /** On the valid list (true) or the failed one. */
    boolean valid = true;

    PathInfo(SelectorPath path) {
        this.path = path;
    }
}
