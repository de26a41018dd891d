package io.mpathgw.dm.selector;

/** What a selector sees of a path: its name as tables print it ("8:16" in the kernel, a path id here). */
public interface SelectorPath {
    String name();
}
