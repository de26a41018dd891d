package io.mpathgw.gateway.demo;

import java.nio.file.Path;

/**
 * What the demo makes: from the {@code mpathgw.demo.*} keys ({@link DemoConfigSource}).
 *
 * @param dataDir    where the demo's gateway.conf and multipath.conf go ({@code <dataDir>/demo/})
 * @param host       the array's portals' address (default 127.0.0.1)
 * @param arrayPort  the first portal's port, the other three following; 0: free ports
 * @param lunBytes   the LUN's capacity (default 1 GiB, in memory, allocated as written)
 * @param nbdListen  the NBD export's host:port (default 127.0.0.1:10809)
 * @param iscsiListen the iSCSI export's host:port (default 127.0.0.1:3260)
 */
public record DemoSettings(Path dataDir, String host, int arrayPort, long lunBytes, String nbdListen,
                           String iscsiListen) {

    public static final String NBD_LISTEN = "127.0.0.1:10809", ISCSI_LISTEN = "127.0.0.1:3260";

    public DemoSettings {
        if (arrayPort < 0 || arrayPort > 65532)
            throw new IllegalArgumentException("mpathgw.demo.array-port: " + arrayPort + " (expected: 0..65532, "
                    + "the first of four ports)");
        if (lunBytes < (1 << 20) || lunBytes % 512 != 0)
            throw new IllegalArgumentException("mpathgw.demo.lun-size: " + lunBytes + " bytes (expected: at least "
                    + "1 MiB, a multiple of 512)");
    }

    /** 1 GiB on free ports of 127.0.0.1, the exports on their usual ports. */
    public static DemoSettings defaults(Path dataDir) {
        return new DemoSettings(dataDir, "127.0.0.1", 0, 1L << 30, NBD_LISTEN, ISCSI_LISTEN);
    }
}
