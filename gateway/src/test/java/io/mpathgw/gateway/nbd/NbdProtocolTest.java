package io.mpathgw.gateway.nbd;

import io.mpathgw.scsi.BlockDeviceException;
import io.mpathgw.scsi.MemoryBlockDevice;
import io.mpathgw.scsi.Sense;
import io.mpathgw.scsi.TransportException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server's answers to a hand-written client, above all to wrong input: each bad option or request gets the
 * error proto.md names and the connection carries on; only what the spec leaves no answer for closes it.
 * Back-pressure and out-of-order completion with a device that holds requests.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NbdProtocolTest {

    static final int MAX_PAYLOAD = 1 << 17;
    static final int MAX_OUTSTANDING = 8;
    static final long SIZE = 1 << 20;

    MemoryBlockDevice memory = new MemoryBlockDevice(512, SIZE / 512);
    MemoryBlockDevice roMemory = new MemoryBlockDevice(512, SIZE / 512);
    MemoryBlockDevice slowMemory = new MemoryBlockDevice(512, SIZE / 512);
    GatedBlockDevice slow = new GatedBlockDevice(slowMemory);
    NbdServer server;
    final List<RawNbdClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = NbdServer.builder().listen("127.0.0.1:0").maxPayload(MAX_PAYLOAD).maxOutstanding(MAX_OUTSTANDING)
                .start();
        server.addExport("disk", "", memory);
        server.addExport(new NbdExport("ro", "read-only", roMemory, true));
        server.addExport("slow", "held requests", slow);
    }

    @AfterEach
    void stop() throws Exception {
        slow.hold(false);
        slow.releaseAll();
        for (RawNbdClient c : clients) c.close();
        server.close();
        memory.close();
        roMemory.close();
        slowMemory.close();
    }

    RawNbdClient client() throws Exception {
        RawNbdClient c = new RawNbdClient(server.port());
        clients.add(c);
        return c;
    }

    RawNbdClient structured(String export) throws Exception {
        return client().greet().go(export, true);
    }

    static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) b[i] = (byte) (seed + i * 7);
        return b;
    }

    // ------------------------------------------------------------------ handshake

    @Test
    void greetingOffersFixedNewstyleAndNoZeroes() throws Exception {
        RawNbdClient c = client().greet();
        assertThat(c.handshakeFlags).isEqualTo(Nbd.NBD_FLAG_FIXED_NEWSTYLE | Nbd.NBD_FLAG_NO_ZEROES);
    }

    @Test
    void unknownOptionsAreUnsupportedAndTheConnectionGoesOn() throws Exception {
        RawNbdClient c = client().greet();
        for (int option : new int[]{Nbd.NBD_OPT_STARTTLS, 4, 12, 99, 0x7fffffff}) {
            List<RawNbdClient.OptionReply> r = c.option(option, new byte[]{1, 2, 3});
            assertThat(r).hasSize(1);
            assertThat(r.get(0).type()).as("option %d", option).isEqualTo(Nbd.NBD_REP_ERR_UNSUP);
            assertThat(r.get(0).option()).isEqualTo(option);
            assertThat(r.get(0).text()).contains("not supported");
        }
        List<RawNbdClient.OptionReply> list = c.option(Nbd.NBD_OPT_LIST, new byte[0]);
        assertThat(list).extracting(RawNbdClient.OptionReply::type).containsExactly(Nbd.NBD_REP_SERVER,
                Nbd.NBD_REP_SERVER, Nbd.NBD_REP_SERVER, Nbd.NBD_REP_ACK);
    }

    @Test
    void malformedOptionsAreInvalid() throws Exception {
        RawNbdClient c = client().greet();
        assertThat(c.option(Nbd.NBD_OPT_LIST, new byte[4]).get(0).type()).isEqualTo(Nbd.NBD_REP_ERR_INVALID);
        assertThat(c.option(Nbd.NBD_OPT_STRUCTURED_REPLY, new byte[1]).get(0).type())
                .isEqualTo(Nbd.NBD_REP_ERR_INVALID);
        byte[] info = RawNbdClient.infoRequest("disk", Nbd.NBD_INFO_NAME);
        RawNbdClient.OptionReply cut = c.option(Nbd.NBD_OPT_INFO, Arrays.copyOf(info, info.length - 1)).get(0);
        assertThat(cut.type()).isEqualTo(Nbd.NBD_REP_ERR_INVALID);
        assertThat(cut.text()).contains("NBD_OPT_INFO data: 11 bytes");
        byte[] longName = new byte[]{0, 0, 0x20, 0, 'x'};          // name length 8192
        assertThat(c.option(Nbd.NBD_OPT_GO, longName).get(0).type()).isEqualTo(Nbd.NBD_REP_ERR_INVALID);
        RawNbdClient.OptionReply meta = c.option(Nbd.NBD_OPT_SET_META_CONTEXT,
                RawNbdClient.metaRequest("disk", Nbd.BASE_ALLOCATION)).get(0);
        assertThat(meta.type()).as("meta context before structured replies").isEqualTo(Nbd.NBD_REP_ERR_INVALID);
        // still in the handshake, and still answering
        RawNbdClient.expectAck(c.option(Nbd.NBD_OPT_STRUCTURED_REPLY, new byte[0]));
    }

    @Test
    void infoAnswersAndUnknownExportsAreNamed() throws Exception {
        RawNbdClient c = client().greet();
        RawNbdClient.OptionReply unknown = c.option(Nbd.NBD_OPT_INFO, RawNbdClient.infoRequest("nope")).get(0);
        assertThat(unknown.type()).isEqualTo(Nbd.NBD_REP_ERR_UNKNOWN);
        assertThat(unknown.text()).isEqualTo("export name: \"nope\" (expected: one of \"disk\", \"ro\", \"slow\")");
        List<RawNbdClient.OptionReply> info = c.option(Nbd.NBD_OPT_INFO, RawNbdClient.infoRequest("",
                Nbd.NBD_INFO_NAME, Nbd.NBD_INFO_DESCRIPTION));
        assertThat(info).extracting(RawNbdClient.OptionReply::type).containsExactly(Nbd.NBD_REP_INFO,
                Nbd.NBD_REP_INFO, Nbd.NBD_REP_INFO, Nbd.NBD_REP_INFO, Nbd.NBD_REP_ACK);
        // NBD_INFO_EXPORT: type 0, size, flags (no structured replies yet: no SEND_DF)
        java.nio.ByteBuffer export = java.nio.ByteBuffer.wrap(info.get(0).data());
        assertThat(export.getShort()).isEqualTo((short) Nbd.NBD_INFO_EXPORT);
        assertThat(export.getLong()).isEqualTo(SIZE);
        assertThat(export.getShort() & 0xffff).isEqualTo(Nbd.NBD_FLAG_HAS_FLAGS | Nbd.NBD_FLAG_SEND_FLUSH
                | Nbd.NBD_FLAG_SEND_FUA | Nbd.NBD_FLAG_SEND_TRIM | Nbd.NBD_FLAG_SEND_WRITE_ZEROES
                | Nbd.NBD_FLAG_CAN_MULTI_CONN);
        assertThat(new String(info.get(1).data(), 2, info.get(1).data().length - 2, StandardCharsets.UTF_8))
                .as("the default export's real name").isEqualTo("disk");
        java.nio.ByteBuffer sizes = java.nio.ByteBuffer.wrap(info.get(3).data());
        assertThat(sizes.getShort()).isEqualTo((short) Nbd.NBD_INFO_BLOCK_SIZE);
        assertThat(new int[]{sizes.getInt(), sizes.getInt(), sizes.getInt()}).containsExactly(512, 4096, MAX_PAYLOAD);
    }

    @Test
    void metaContextsListAndSetBaseAllocationOnly() throws Exception {
        RawNbdClient c = client().greet();
        RawNbdClient.expectAck(c.option(Nbd.NBD_OPT_STRUCTURED_REPLY, new byte[0]));
        List<RawNbdClient.OptionReply> all = c.option(Nbd.NBD_OPT_LIST_META_CONTEXT, RawNbdClient.metaRequest("disk"));
        assertThat(all).extracting(RawNbdClient.OptionReply::type).containsExactly(Nbd.NBD_REP_META_CONTEXT,
                Nbd.NBD_REP_ACK);
        assertThat(new String(all.get(0).data(), 4, all.get(0).data().length - 4, StandardCharsets.UTF_8))
                .isEqualTo("base:allocation");
        List<RawNbdClient.OptionReply> none = c.option(Nbd.NBD_OPT_SET_META_CONTEXT,
                RawNbdClient.metaRequest("disk", "qemu:dirty-bitmap:x"));
        assertThat(none).extracting(RawNbdClient.OptionReply::type).containsExactly(Nbd.NBD_REP_ACK);
        List<RawNbdClient.OptionReply> set = c.option(Nbd.NBD_OPT_SET_META_CONTEXT,
                RawNbdClient.metaRequest("disk", "base:allocation"));
        assertThat(set).extracting(RawNbdClient.OptionReply::type).containsExactly(Nbd.NBD_REP_META_CONTEXT,
                Nbd.NBD_REP_ACK);
        int id = java.nio.ByteBuffer.wrap(set.get(0).data()).getInt();
        RawNbdClient.expectAck(c.option(Nbd.NBD_OPT_GO, RawNbdClient.infoRequest("disk")));
        c.request(0, Nbd.NBD_CMD_BLOCK_STATUS, 5, 4096, 65536, null);
        RawNbdClient.Reply r = c.reply(0);
        assertThat(r.type()).isEqualTo(Nbd.NBD_REPLY_TYPE_BLOCK_STATUS);
        assertThat(r.done()).isTrue();
        java.nio.ByteBuffer p = java.nio.ByteBuffer.wrap(r.data());
        assertThat(new int[]{p.getInt(), p.getInt(), p.getInt()}).as("id, one extent of data")
                .containsExactly(id, 65536, 0);
    }

    @Test
    void badOptionMagicAndUnknownClientFlagsCloseOnlyThatConnection() throws Exception {
        RawNbdClient bad = client().greet();
        bad.sendOption(0x1122334455667788L, Nbd.NBD_OPT_LIST, new byte[0]);
        assertThat(bad.closedByServer()).isTrue();
        RawNbdClient flags = client().greet(0x4);
        assertThat(flags.closedByServer()).isTrue();
        RawNbdClient good = structured("disk");
        good.request(0, Nbd.NBD_CMD_READ, 1, 0, 512, null);
        assertThat(good.reply(0).data()).hasSize(512);
    }

    @Test
    void exportNameEntersTransmissionWithOrWithoutZeroes() throws Exception {
        RawNbdClient noZeroes = client().greet();
        noZeroes.sendOption(Nbd.IHAVEOPT, Nbd.NBD_OPT_EXPORT_NAME, "ro".getBytes(StandardCharsets.UTF_8));
        assertThat(noZeroes.in.readLong()).isEqualTo(SIZE);
        assertThat(noZeroes.in.readUnsignedShort() & Nbd.NBD_FLAG_READ_ONLY).isNotZero();
        noZeroes.request(0, Nbd.NBD_CMD_READ, 7, 0, 512, null);
        RawNbdClient.Reply r = noZeroes.reply(512);
        assertThat(r.handle()).isEqualTo(7);
        assertThat(r.error()).isZero();

        RawNbdClient zeroes = client().greet(Nbd.NBD_FLAG_C_FIXED_NEWSTYLE);
        zeroes.sendOption(Nbd.IHAVEOPT, Nbd.NBD_OPT_EXPORT_NAME, new byte[0]);
        assertThat(zeroes.in.readLong()).isEqualTo(SIZE);
        zeroes.in.readUnsignedShort();
        byte[] pad = new byte[124];
        zeroes.in.readFully(pad);
        assertThat(pad).containsOnly(0);
        zeroes.request(0, Nbd.NBD_CMD_READ, 8, 0, 512, null);
        assertThat(zeroes.reply(512).handle()).isEqualTo(8);

        RawNbdClient unknown = client().greet();
        unknown.sendOption(Nbd.IHAVEOPT, Nbd.NBD_OPT_EXPORT_NAME, "nope".getBytes(StandardCharsets.UTF_8));
        assertThat(unknown.closedByServer()).as("EXPORT_NAME of an unknown export cannot be refused otherwise")
                .isTrue();
    }

    // ------------------------------------------------------------------ transmission

    @Test
    void writeThenReadAsOneDataChunk() throws Exception {
        RawNbdClient c = structured("disk");
        byte[] data = pattern(8192, 3);
        c.request(Nbd.NBD_CMD_FLAG_FUA, Nbd.NBD_CMD_WRITE, 0xabcdef0123L, 4096, data.length, data);
        RawNbdClient.Reply w = c.reply(0);
        assertThat(w.handle()).isEqualTo(0xabcdef0123L);
        assertThat(w.error()).isZero();
        c.request(Nbd.NBD_CMD_FLAG_DF, Nbd.NBD_CMD_READ, 2, 4096, data.length, null);
        RawNbdClient.Reply r = c.reply(0);
        assertThat(r.type()).isEqualTo(Nbd.NBD_REPLY_TYPE_OFFSET_DATA);
        assertThat(r.done()).isTrue();
        assertThat(r.offset()).isEqualTo(4096);
        assertThat(r.data()).isEqualTo(data);
    }

    @Test
    void badRequestsGetPreciseErrorsAndTheConnectionGoesOn() throws Exception {
        RawNbdClient c = structured("disk");
        expectError(c, 0, Nbd.NBD_CMD_READ, SIZE - 512, 1024, null, Nbd.EINVAL,
                "NBD_CMD_READ offset: 1048064, length: 1024 (expected: offset + length <= export size 1048576)");
        expectError(c, 0, Nbd.NBD_CMD_READ, 100, 512, null, Nbd.EINVAL,
                "NBD_CMD_READ offset: 100, length: 512 (expected: multiples of the minimum block size 512)");
        expectError(c, 0, Nbd.NBD_CMD_READ, 0, 0, null, Nbd.EINVAL, "NBD_CMD_READ length: 0 (expected: > 0)");
        expectError(c, 0, Nbd.NBD_CMD_READ, 0, MAX_PAYLOAD + 512, null, Nbd.EINVAL,
                "NBD_CMD_READ length: 131584 (expected: <= 131072, the maximum block size)");
        expectError(c, 0, Nbd.NBD_CMD_WRITE, SIZE, 512, new byte[512], Nbd.ENOSPC,
                "NBD_CMD_WRITE offset: 1048576, length: 512 (expected: offset + length <= export size 1048576)");
        expectError(c, 0, Nbd.NBD_CMD_READ, -512, 512, null, Nbd.EINVAL,
                "NBD_CMD_READ offset: 18446744073709551104, length: 512 (expected: offset + length <= export size"
                        + " 1048576)");
        expectError(c, Nbd.NBD_CMD_FLAG_DF, Nbd.NBD_CMD_WRITE, 0, 512, new byte[512], Nbd.EINVAL,
                "NBD_CMD_WRITE command flags: 0x0004 (expected: only 0x0001)");
        expectError(c, 0x20, Nbd.NBD_CMD_READ, 0, 512, null, Nbd.EINVAL,
                "NBD_CMD_READ command flags: 0x0020 (expected: only 0x0005)");
        expectError(c, 0, Nbd.NBD_CMD_FLUSH, 0, 512, null, Nbd.EINVAL,
                "NBD_CMD_FLUSH offset: 0, length: 512 (expected: both 0)");
        expectError(c, 0, Nbd.NBD_CMD_CACHE, 0, 512, null, Nbd.EINVAL, "NBD_CMD_CACHE: not supported");
        expectError(c, 0, 42, 0, 512, null, Nbd.EINVAL, "command 42: not supported");
        expectError(c, 0, Nbd.NBD_CMD_BLOCK_STATUS, 0, 512, null, Nbd.EINVAL,
                "BLOCK_STATUS after NBD_OPT_SET_META_CONTEXT");
        // a write longer than the maximum: refused, its payload skipped as it streams in, the next request fine
        byte[] huge = pattern(MAX_PAYLOAD * 2, 9);
        expectError(c, 0, Nbd.NBD_CMD_WRITE, 0, huge.length, huge, Nbd.EINVAL,
                "NBD_CMD_WRITE length: 262144 (expected: <= 131072, the maximum block size)");
        c.request(0, Nbd.NBD_CMD_READ, 77, 0, 512, null);
        RawNbdClient.Reply r = c.reply(0);
        assertThat(r.handle()).isEqualTo(77);
        assertThat(r.data()).as("the refused write changed nothing").containsOnly(0);
    }

    @Test
    void readOnlyExportRefusesChangesWithEperm() throws Exception {
        RawNbdClient c = structured("ro");
        expectError(c, 0, Nbd.NBD_CMD_WRITE, 0, 512, new byte[512], Nbd.EPERM,
                "NBD_CMD_WRITE: export \"ro\" is read-only");
        expectError(c, 0, Nbd.NBD_CMD_TRIM, 0, 512, null, Nbd.EPERM, "is read-only");
        expectError(c, 0, Nbd.NBD_CMD_WRITE_ZEROES, 0, 512, null, Nbd.EPERM, "is read-only");
    }

    @Test
    void deviceFailuresMapToNbdErrors() throws Exception {
        RawNbdClient c = structured("slow");
        slow.fail(new BlockDeviceException(Sense.of(Sense.MEDIUM_ERROR, 0x11, 0), "unrecovered read error"));
        expectError(c, 0, Nbd.NBD_CMD_READ, 0, 512, null, Nbd.EIO, "unrecovered read error");
        slow.fail(new BlockDeviceException(Sense.of(Sense.DATA_PROTECT, 0x27, 0), "write protected"));
        expectError(c, 0, Nbd.NBD_CMD_WRITE, 0, 512, new byte[512], Nbd.EPERM, "write protected");
        slow.fail(new TransportException(TransportException.Kind.CLOSED, "no path"));
        expectError(c, 0, Nbd.NBD_CMD_FLUSH, 0, 0, null, Nbd.EIO, "no path");
        slow.fail(null);
        c.request(0, Nbd.NBD_CMD_FLUSH, 3, 0, 0, null);
        assertThat(c.reply(0).error()).isZero();
    }

    @Test
    void simpleRepliesCarryTheErrorAndNoData() throws Exception {
        RawNbdClient c = client().greet().go("disk", false);
        c.request(0, Nbd.NBD_CMD_READ, 1, SIZE, 512, null);
        RawNbdClient.Reply bad = c.reply(512);
        assertThat(bad.structured()).isFalse();
        assertThat(bad.error()).isEqualTo(Nbd.EINVAL);
        assertThat(bad.data()).isEmpty();
        c.request(Nbd.NBD_CMD_FLAG_DF, Nbd.NBD_CMD_READ, 2, 0, 512, null);
        assertThat(c.reply(0).error()).as("DF without structured replies").isEqualTo(Nbd.EINVAL);
        c.request(0, Nbd.NBD_CMD_READ, 3, 0, 1024, null);
        RawNbdClient.Reply ok = c.reply(1024);
        assertThat(ok.handle()).isEqualTo(3);
        assertThat(ok.data()).hasSize(1024);
    }

    @Test
    void badRequestMagicClosesThatConnectionOnly() throws Exception {
        RawNbdClient bad = structured("disk");
        RawNbdClient good = structured("disk");
        bad.out.writeInt(0x12345678);
        bad.out.write(new byte[24]);
        bad.out.flush();
        assertThat(bad.closedByServer()).isTrue();
        good.request(0, Nbd.NBD_CMD_READ, 9, 0, 512, null);
        assertThat(good.reply(0).handle()).isEqualTo(9);
    }

    @Test
    void backPressureBoundsRequestsPerConnectionAndRepliesComeOutOfOrder() throws Exception {
        RawNbdClient c = structured("slow");
        slow.hold(true);
        int n = 100;
        // sent from a thread of its own: with the server not reading, the socket buffers fill and writes block
        Thread sender = new Thread(() -> {
            try {
                for (int i = 0; i < n; i++)
                    c.request(0, Nbd.NBD_CMD_WRITE, 1000 + i, i * 4096L, 4096, pattern(4096, i));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        sender.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (slow.held() < MAX_OUTSTANDING && System.nanoTime() < deadline) Thread.sleep(5);
        Thread.sleep(200);                                  // time to take more, if it (wrongly) would
        assertThat(slow.held()).as("requests handed to the device").isEqualTo(MAX_OUTSTANDING);
        // the newest held first: replies follow the device's completions, not the requests' order
        slow.releaseOne(true);
        assertThat(c.reply(0).handle()).isEqualTo(1000 + MAX_OUTSTANDING - 1);
        slow.releaseOne(false);
        assertThat(c.reply(0).handle()).isEqualTo(1000);
        slow.hold(false);
        slow.releaseAll();
        Set<Long> handles = new HashSet<>();
        for (int i = 2; i < n; i++) {
            RawNbdClient.Reply r = c.reply(0);
            assertThat(r.error()).as("reply %d", i).isZero();
            handles.add(r.handle());
            slow.releaseAll();                              // completions of later arrivals, held meanwhile
        }
        sender.join();
        assertThat(handles).hasSize(n - 2).doesNotContain(1000L, 1000L + MAX_OUTSTANDING - 1);
        assertThat(slow.mostOutstanding()).isLessThanOrEqualTo(MAX_OUTSTANDING);
        for (int i = 0; i < n; i += 33) {
            c.request(0, Nbd.NBD_CMD_READ, i, i * 4096L, 4096, null);
            assertThat(c.reply(0).data()).as("block %d", i).isEqualTo(pattern(4096, i));
        }
    }

    @Test
    void discAnswersWhatIsInFlightThenCloses() throws Exception {
        RawNbdClient c = structured("slow");
        slow.hold(true);
        byte[] data = pattern(512, 5);
        c.request(0, Nbd.NBD_CMD_WRITE, 1, 0, 512, data);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (slow.held() < 1 && System.nanoTime() < deadline) Thread.sleep(5);
        c.request(0, Nbd.NBD_CMD_DISC, 2, 0, 0, null);
        Thread.sleep(100);
        slow.releaseAll();
        RawNbdClient.Reply r = c.reply(0);
        assertThat(r.handle()).isEqualTo(1);
        assertThat(r.error()).isZero();
        assertThat(c.closedByServer()).isTrue();
        assertThat(slowMemory.read(0, 1).get().release()).isTrue();
    }

    @Test
    void removingAnExportDisconnectsItsClients() throws Exception {
        RawNbdClient onDisk = structured("disk");
        RawNbdClient onRo = structured("ro");
        assertThat(server.removeExport("disk")).isPresent();
        assertThat(onDisk.closedByServer()).isTrue();
        onRo.request(0, Nbd.NBD_CMD_READ, 4, 0, 512, null);
        assertThat(onRo.reply(0).handle()).isEqualTo(4);
        RawNbdClient.OptionReply gone = client().greet().option(Nbd.NBD_OPT_GO,
                RawNbdClient.infoRequest("disk")).get(0);
        assertThat(gone.type()).isEqualTo(Nbd.NBD_REP_ERR_UNKNOWN);
    }

    private static void expectError(RawNbdClient c, int flags, int type, long offset, long length, byte[] payload,
                                    int errno, String message) throws Exception {
        long handle = System.nanoTime();
        c.request(flags, type, handle, offset, length, payload);
        RawNbdClient.Reply r = c.reply(0);
        assertThat(r.handle()).isEqualTo(handle);
        assertThat(r.type()).as(r.toString()).isEqualTo(Nbd.NBD_REPLY_TYPE_ERROR);
        assertThat(r.done()).isTrue();
        assertThat(r.error()).as(r.message()).isEqualTo(errno);
        assertThat(r.message()).contains(message);
    }
}
