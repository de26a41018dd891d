package io.mpathgw.dm.selector;

/**
 * An intrusive doubly linked list of {@link PathInfo}, the {@code list_head} the kernel's selectors keep: O(1)
 * move to head or tail, iteration by {@code next} links, no allocation. Not thread-safe (the map's thread only).
 */
final class PathList<I extends PathInfo<I>> {

    private I first;
    private I last;
    private int size;

    /** The head, or null when empty. Walk on with {@code i.next}. */
    I first() {
        return first;
    }

    int size() {
        return size;
    }

    void addTail(I i) {
        i.prev = last;
        i.next = null;
        if (last == null) first = i;
        else last.next = i;
        last = i;
        size++;
    }

    void addHead(I i) {
        i.prev = null;
        i.next = first;
        if (first == null) last = i;
        else first.prev = i;
        first = i;
        size++;
    }

    /** {@code i} must be on this list. */
    void remove(I i) {
        if (i.prev == null) first = i.next;
        else i.prev.next = i.next;
        if (i.next == null) last = i.prev;
        else i.next.prev = i.prev;
        i.prev = null;
        i.next = null;
        size--;
    }

    /** As list_move_tail(): the chosen path becomes the least preferred of equals, so ties rotate. */
    void moveTail(I i) {
        if (i == last) return;
        remove(i);
        addTail(i);
    }
}
