package io.mpathgw.gateway.nbd;

import io.mpathgw.scsi.MemoryBlockDevice;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real clients moving real data through exports of memory devices: nbdcopy (one and four connections), qemu-img
 * convert/compare, qemu-io for FUA, TRIM and WRITE_ZEROES (checked on the device), fio's nbd engine with crc32c
 * verification.
 */
class NbdClientsTest {

    static final Duration T = Duration.ofSeconds(60);
    static final int MIB = 1 << 20;

    @TempDir
    Path dir;
    MemoryBlockDevice memory = new MemoryBlockDevice(512, 64L * MIB / 512);
    RecordingBlockDevice disk = new RecordingBlockDevice(memory);
    NbdServer server;

    @BeforeEach
    void start() throws Exception {
        server = NbdServer.builder().listen("127.0.0.1:0").start();
        server.addExport("disk", "64 MiB in memory", disk);
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
        memory.close();
    }

    String uri() {
        return "nbd://127.0.0.1:" + server.port() + "/disk";
    }

    Path randomFile(String name, int bytes, long seed) throws Exception {
        byte[] b = new byte[bytes];
        new Random(seed).nextBytes(b);
        return Files.write(dir.resolve(name), b);
    }

    /** What the device itself holds from byte 0, {@code bytes} long. */
    byte[] onDevice(int bytes) throws Exception {
        ByteBuf b = memory.read(0, bytes / 512).get(5, TimeUnit.SECONDS);
        try {
            byte[] out = new byte[bytes];
            b.getBytes(b.readerIndex(), out);
            return out;
        } finally {
            b.release();
        }
    }

    @Test
    void nbdcopyInAndOut() throws Exception {
        NbdTools.assumeTool("nbdcopy", "libnbd-bin");
        Path in = randomFile("in", 64 * MIB, 11);
        NbdTools.run(T, "nbdcopy", in.toString(), uri()).ok();
        assertThat(onDevice(64 * MIB)).as("the device holds the file").isEqualTo(Files.readAllBytes(in));
        Path out = dir.resolve("out");
        NbdTools.run(T, "nbdcopy", uri(), out.toString()).ok();
        assertThat(Files.mismatch(in, out)).as("read back").isEqualTo(-1L);
    }

    @Test
    void nbdcopyOverFourConnections() throws Exception {
        NbdTools.assumeTool("nbdcopy", "libnbd-bin");
        Path in = randomFile("in", 64 * MIB, 12);
        AtomicInteger most = new AtomicInteger();
        AtomicBoolean copying = new AtomicBoolean(true);
        Thread watch = new Thread(() -> {
            while (copying.get()) {
                most.accumulateAndGet(server.connectionCount(), Math::max);
                Thread.onSpinWait();
            }
        });
        watch.start();
        try {
            NbdTools.run(T, "nbdcopy", "--connections=4", "--threads=4", "--requests=16", in.toString(), uri()).ok();
            Path out = dir.resolve("out");
            NbdTools.run(T, "nbdcopy", "--connections=4", "--threads=4", uri(), out.toString()).ok();
            assertThat(Files.mismatch(in, out)).as("read back").isEqualTo(-1L);
        } finally {
            copying.set(false);
            watch.join();
        }
        assertThat(most.get()).as("nbdcopy used several connections (NBD_FLAG_CAN_MULTI_CONN)").isGreaterThanOrEqualTo(4);
        assertThat(onDevice(64 * MIB)).isEqualTo(Files.readAllBytes(in));
    }

    @Test
    void qemuImgConvertAndCompare() throws Exception {
        NbdTools.assumeTool("qemu-img", "qemu-utils");
        Path in = randomFile("in", 64 * MIB, 13);
        NbdTools.run(T, "qemu-img", "convert", "-n", "-f", "raw", "-O", "raw", in.toString(), uri()).ok();
        NbdTools.run(T, "qemu-img", "compare", "-f", "raw", "-F", "raw", in.toString(), uri()).ok();
        assertThat(onDevice(64 * MIB)).isEqualTo(Files.readAllBytes(in));
        // a changed byte on the device is seen: compare fails (exit 1) and names where
        memory.write(1000, io.netty.buffer.Unpooled.directBuffer(512).writeZero(512), false).get();
        NbdTools.Result r = NbdTools.run(T, "qemu-img", "compare", "-f", "raw", "-F", "raw", in.toString(), uri());
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.stdout()).as(r.toString()).contains("Content mismatch at offset 512000");
    }

    @Test
    void qemuIoFuaTrimAndWriteZeroesReachTheDevice() throws Exception {
        NbdTools.assumeTool("qemu-io", "qemu-utils");
        qemuIo("write -P 0xab 0 8M");
        qemuIo("write -f -P 0xcd 8M 64k");
        assertThat(disk.calls).as("FUA write").contains("write fua 16384 128");
        disk.calls.clear();
        qemuIo("write -z 1M 1M");                   // may not unmap: NBD_CMD_FLAG_NO_HOLE
        assertThat(disk.calls).as("write zeroes, no hole").contains("writeSame 2048 2048 no-unmap");
        qemuIo("write -z -u 2M 1M");                // may unmap
        assertThat(disk.calls).as("write zeroes, may unmap").contains("writeSame 4096 2048 unmap");
        qemuIo("discard 4M 1M");
        assertThat(disk.calls).as("trim").contains("unmap 8192 2048");
        byte[] now = onDevice(8 * MIB);
        for (int i = 0; i < 8 * MIB; i += 4096) {
            byte expected = i >= MIB && i < 3 * MIB || i >= 4 * MIB && i < 5 * MIB ? 0 : (byte) 0xab;
            assertThat(now[i]).as("byte %d", i).isEqualTo(expected);
        }
        qemuIo("flush");
        assertThat(disk.calls).contains("flush");
    }

    @Test
    void longWriteZeroesAndTrimGoDownInPiecesOf16MiB() throws Exception {
        try (RawNbdClient c = new RawNbdClient(server.port()).greet().go("disk", true)) {
            c.request(Nbd.NBD_CMD_FLAG_NO_HOLE | Nbd.NBD_CMD_FLAG_FUA, Nbd.NBD_CMD_WRITE_ZEROES, 1, 0, 40L * MIB,
                    null);
            assertThat(c.reply(0).error()).isZero();
            assertThat(disk.calls).containsExactly("writeSame 0 32768 no-unmap", "writeSame 32768 32768 no-unmap",
                    "writeSame 65536 16384 no-unmap", "flush");
            disk.calls.clear();
            c.request(0, Nbd.NBD_CMD_TRIM, 2, 8L * MIB, 24L * MIB, null);
            assertThat(c.reply(0).error()).isZero();
            assertThat(disk.calls).containsExactly("unmap 16384 32768", "unmap 49152 16384");
        }
    }

    private void qemuIo(String command) throws Exception {
        NbdTools.Result r = NbdTools.run(T, "qemu-io", "-f", "raw", "-c", command, uri()).ok();
        assertThat(r.stdout() + r.stderr()).as(r.toString()).doesNotContain("failed");
    }

    @Test
    void fioNbdEngineWithCrc32cVerification() throws Exception {
        NbdTools.assumeTool("fio", "fio");
        NbdTools.Result help = NbdTools.run(T, "fio", "--enghelp");
        org.junit.jupiter.api.Assumptions.assumeTrue(help.stdout().lines().anyMatch(l -> l.trim().equals("nbd")),
                "this fio has no nbd engine: " + help.stdout());
        NbdTools.Result r = NbdTools.run(T, "fio", "--name=verify", "--ioengine=nbd", "--uri=" + uri(),
                "--rw=randwrite", "--bs=4k", "--size=32m", "--iodepth=32", "--verify=crc32c", "--do_verify=1",
                "--verify_fatal=1", "--output-format=terse", "--terse-version=3").ok();
        assertThat(r.stderr()).as(r.toString()).doesNotContain("verify:");
        String[] f = r.stdout().trim().split(";");
        assertThat(f[4]).as("fio error field: " + r).isEqualTo("0");
        assertThat(Long.parseLong(f[5])).as("KiB read back for verification: " + r).isEqualTo(32 * 1024);
        assertThat(Long.parseLong(f[46])).as("KiB written: " + r).isEqualTo(32 * 1024);
    }
}
