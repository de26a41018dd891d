package io.mpathgw.dm;

/** A plugin known by its kernel name: "service-time", "alua". */
public interface Named {
    String name();
}
