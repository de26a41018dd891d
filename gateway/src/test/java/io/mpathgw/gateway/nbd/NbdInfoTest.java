package io.mpathgw.gateway.nbd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mpathgw.scsi.MemoryBlockDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.mpathgw.iscsi.initiator.EventLoops;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** nbdinfo (libnbd) against exports of memory devices: size, block sizes, flags, the export list. */
class NbdInfoTest {

    static final Duration T = Duration.ofSeconds(20);

    MemoryBlockDevice small = new MemoryBlockDevice(4096, 3000);       // 4 KiB blocks: min block size 4096
    MemoryBlockDevice big = new MemoryBlockDevice(512, 40960);
    NbdServer server;

    @BeforeEach
    void start() throws Exception {
        NbdTools.assumeTool("nbdinfo", "libnbd-bin");
        server = NbdServer.builder().listen("127.0.0.1:0").maxPayload(1 << 22).start();
        server.addExport("small", "a 4k-block disk", small);
        server.addExport(new NbdExport("big", "the second one", big, true));
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
        small.close();
        big.close();
    }

    String uri(String name) {
        return "nbd://127.0.0.1:" + server.port() + "/" + name;
    }

    @Test
    void sizeAndBlockSizesAsJson() throws Exception {
        NbdTools.Result r = NbdTools.run(T, "nbdinfo", "--json", uri("small")).ok();
        JsonNode j = new ObjectMapper().readTree(r.stdout());
        JsonNode e = j.get("exports").get(0);
        assertThat(e.get("export-size").asLong()).as(r.toString()).isEqualTo(3000L * 4096);
        assertThat(e.get("block_size_minimum").asInt()).as(r.toString()).isEqualTo(4096);
        assertThat(e.get("block_size_preferred").asInt()).as(r.toString()).isEqualTo(4096);
        assertThat(e.get("block_size_maximum").asInt()).as(r.toString()).isEqualTo(1 << 22);
        assertThat(e.get("description").asText()).isEqualTo("a 4k-block disk");
        assertThat(e.get("is_read_only").asBoolean()).isFalse();
        assertThat(e.get("can_multi_conn").asBoolean()).isTrue();
        assertThat(e.get("can_flush").asBoolean()).isTrue();
        assertThat(e.get("can_fua").asBoolean()).isTrue();
        assertThat(e.get("can_trim").asBoolean()).isTrue();
        assertThat(e.get("can_zero").asBoolean()).isTrue();
        assertThat(e.get("can_df").asBoolean()).isTrue();
        assertThat(j.get("protocol").asText()).isEqualTo("newstyle-fixed");
    }

    @Test
    void readOnlyExportAndSize() throws Exception {
        NbdTools.Result r = NbdTools.run(T, "nbdinfo", "--json", uri("big")).ok();
        JsonNode e = new ObjectMapper().readTree(r.stdout()).get("exports").get(0);
        assertThat(e.get("export-size").asLong()).as(r.toString()).isEqualTo(40960L * 512);
        assertThat(e.get("is_read_only").asBoolean()).as(r.toString()).isTrue();
        assertThat(e.get("block_size_minimum").asInt()).isEqualTo(512);
        assertThat(NbdTools.run(T, "nbdinfo", "--size", uri("big")).ok().stdout().trim())
                .isEqualTo(String.valueOf(40960L * 512));
    }

    @Test
    void theEmptyNameIsTheFirstExport() throws Exception {
        NbdTools.Result r = NbdTools.run(T, "nbdinfo", "--size", "nbd://127.0.0.1:" + server.port()).ok();
        assertThat(r.stdout().trim()).isEqualTo(String.valueOf(3000L * 4096));
    }

    @Test
    void listsEveryExportWithItsDescription() throws Exception {
        NbdTools.Result r = NbdTools.run(T, "nbdinfo", "--list", "--json", "nbd://127.0.0.1:" + server.port()).ok();
        JsonNode exports = new ObjectMapper().readTree(r.stdout()).get("exports");
        assertThat(exports).as(r.toString()).hasSize(2);
        assertThat(exports.get(0).get("export-name").asText()).isEqualTo("small");
        assertThat(exports.get(1).get("export-name").asText()).isEqualTo("big");
        assertThat(exports.get(1).get("description").asText()).isEqualTo("the second one");
        assertThat(exports.get(1).get("export-size").asLong()).isEqualTo(40960L * 512);
    }

    @Test
    void listensOnAUnixSocketToo(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(EventLoops.nativeEpoll(), "unix sockets need native epoll (Linux)");
        Path socket = dir.resolve("nbd.sock");
        try (NbdServer unix = NbdServer.builder().listen("unix:" + socket).start()) {
            unix.addExport("small", "", small);
            assertThat(unix.port()).isEqualTo(-1);
            NbdTools.Result r = NbdTools.run(T, "nbdinfo", "--size", "nbd+unix:///small?socket=" + socket).ok();
            assertThat(r.stdout().trim()).isEqualTo(String.valueOf(3000L * 4096));
        }
        assertThat(socket).as("the socket file is removed on close").doesNotExist();
    }

    @Test
    void listenAddressesParseOrNameWhatIsWrong() {
        assertThat(NbdServer.parseListen("127.0.0.2:10809")).isEqualTo(new InetSocketAddress("127.0.0.2", 10809));
        assertThat(NbdServer.parseListen("[::1]:0")).isEqualTo(new InetSocketAddress("::1", 0));
        assertThat(NbdServer.parseListen(":10810")).isEqualTo(new InetSocketAddress(10810));
        for (String bad : new String[]{"localhost", "127.0.0.1:x", "127.0.0.1:70000", "::1"})
            assertThatThrownBy(() -> NbdServer.parseListen(bad)).hasMessage("NBD listen address: \"" + bad
                    + "\" (expected: host:port, [ipv6]:port, :port or unix:/path, port 0..65535)");
    }

    @Test
    void anUnknownExportIsRefusedByName() throws Exception {
        NbdTools.Result r = NbdTools.run(T, "nbdinfo", uri("nope"));
        assertThat(r.exit()).as(r.toString()).isNotZero();
        assertThat(r.stderr()).as(r.toString()).contains("nope");
    }

    @Test
    void baseAllocationIsOfferedAndAllData() throws Exception {
        NbdTools.Result r = NbdTools.run(T, "nbdinfo", "--map", uri("small")).ok();
        // one extent over the whole export, type 0 (data)
        assertThat(r.stdout().trim()).as(r.toString()).matches("0\\s+" + 3000L * 4096 + "\\s+0\\s+data");
        NbdTools.Result c = NbdTools.run(T, "nbdinfo", "--json", uri("small")).ok();
        JsonNode contexts = new ObjectMapper().readTree(c.stdout()).get("exports").get(0).get("contexts");
        assertThat(contexts).as(c.toString()).isNotNull();
        assertThat(contexts.toString()).as(c.toString()).contains("\"base:allocation\"");
    }
}
