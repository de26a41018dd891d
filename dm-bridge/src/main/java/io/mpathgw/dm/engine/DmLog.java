package io.mpathgw.dm.engine;

/**
 * Where a map writes the lines the kernel would print to dmesg, byte for byte ("device-mapper: multipath: 253:0:
 * Failing path 8:16."), so that logs and tests compare with the kernel's.
 */
@FunctionalInterface
public interface DmLog {

    void line(String kernelLine);

    DmLog NONE = line -> { };

    static DmLog system() {
        System.Logger logger = System.getLogger("io.mpathgw.dm");
        return line -> logger.log(System.Logger.Level.WARNING, line);
    }
}
