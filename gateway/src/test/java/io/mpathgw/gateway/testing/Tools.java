package io.mpathgw.gateway.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The real client tools the tests drive (nbdinfo, qemu-img, fio, iscsi-inq, systemd-analyze …), found on PATH. */
public final class Tools {

    private Tools() {
    }

    /** Whether {@code tool} is an executable on PATH or in /usr/sbin, /sbin (where tgtadm lives). */
    public static boolean onPath(String tool) {
        for (String dir : (System.getenv("PATH") + ":/usr/sbin:/sbin").split(File.pathSeparator))
            if (Files.isExecutable(Path.of(dir, tool))) return true;
        return false;
    }

    /** Skips the test (never passes it) when {@code tool} is missing, naming the Debian package to install. */
    public static void assumeTool(String tool, String debianPackage) {
        assumeTrue(onPath(tool), tool + " missing: apt-get install " + debianPackage
                + " (or scripts/install-test-peers.sh)");
    }
}
