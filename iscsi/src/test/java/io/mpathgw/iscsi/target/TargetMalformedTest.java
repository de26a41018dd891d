package io.mpathgw.iscsi.target;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpathgw.iscsi.initiator.Session;
import io.mpathgw.iscsi.pdu.Bhs;
import io.mpathgw.iscsi.pdu.Digests;
import io.mpathgw.iscsi.pdu.Opcode;
import io.mpathgw.iscsi.pdu.Pdu;
import io.mpathgw.iscsi.pdu.PduEncoder;
import io.mpathgw.iscsi.text.TextParameters;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.io.EOFException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/** A client that breaks the rules gets the RFC's answer, and the other sessions keep working. */
class TargetMalformedTest {

    @Test
    void undefinedOpcodeIsRejectedAndGarbageClosesOnlyThatConnection() throws Exception {
        try (TargetFixture f = new TargetFixture(); Socket raw = new Socket("127.0.0.1", f.portal(0).getPort())) {
            Session good = f.login(f.config().build());
            raw.setSoTimeout(5000);
            OutputStream out = raw.getOutputStream();
            DataInputStream in = new DataInputStream(raw.getInputStream());
            out.write(bytes(login()));
            byte[] rsp = readPdu(in);
            assertThat(rsp[0] & 0x3f).isEqualTo(Opcode.LOGIN_RESPONSE.code);
            assertThat(rsp[36]).as("Status-Class").isZero();
            assertThat(rsp[1] & 0x83).as("T bit and NSG=3").isEqualTo(0x83);
            byte[] undefined = new byte[48];
            undefined[0] = 0x1c;                                 // no RFC defines opcode 0x1c
            undefined[16] = 0x7f;
            out.write(undefined);
            byte[] reject = readPdu(in);
            assertThat(reject[0] & 0x3f).isEqualTo(Opcode.REJECT.code);
            assertThat(reject[2]).as("reason: command not supported").isEqualTo((byte) 0x05);
            out.write(new byte[] {0x7f, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff});   // 16 MiB segment
            out.write(new byte[40]);
            out.flush();
            byte[] last = readPdu(in);
            assertThat(last[0] & 0x3f).isEqualTo(Opcode.REJECT.code);
            assertThat(in.read()).as("connection closed after the fatal Reject").isEqualTo(-1);
            assertThat(TargetFixture.run(good, ScsiCommand.none(Cdb.testUnitReady())).status()).isZero();
        }
    }

    // ------------------------------------------------------------------ the remaining misbehaviours

    /**
     * RFC 7143 §3.2.2.1 / §4.2.2.1: a non-immediate command whose CmdSN lies outside [ExpCmdSN, MaxCmdSN] is
     * silently ignored; the next command with CmdSN = ExpCmdSN is answered as if nothing happened.
     */
    @Test
    void cmdSnOutsideTheWindowIsSilentlyDropped() throws Exception {
        try (TargetFixture f = twoPortals()) {
            Session[] good = goodSessions(f);
            try (Raw raw = Raw.login(f, false)) {
                int exp = raw.expCmdSn, max = raw.maxCmdSn;
                assertThat(exp).as("ExpCmdSN = the login's CmdSN").isEqualTo(7);
                raw.send(raw.tur(0x100, max + 1));            // above the window
                raw.send(raw.tur(0x101, exp - 1));            // below the window (already "used")
                raw.send(raw.tur(0x102, max + 1000));
                raw.assertNothingWithin(QUIET_MS);
                raw.send(raw.tur(0x103, exp));
                Frame rsp = raw.read();
                assertThat(rsp.opcode()).isEqualTo(Opcode.SCSI_RESPONSE.code);
                assertThat(rsp.itt()).as("answer to the in-window command, none for the dropped ones").isEqualTo(0x103);
                assertThat(rsp.bhs[3]).as("status GOOD").isZero();
                assertThat(rsp.int32(28)).as("ExpCmdSN advanced by the one command taken").isEqualTo(exp + 1);
            }
            assertGoodSessionsWork(f, good);
        }
    }

    /**
     * RFC 7143 §7.8: a Data-Out whose data digest fails is answered with Reject 0x02 (Data digest error) and
     * discarded; at ERL 0 the target ends the task with CHECK CONDITION, ABORTED COMMAND, 47/05 PROTOCOL SERVICE
     * CRC ERROR (§11.4.7.2). The connection stays usable.
     */
    @Test
    void dataDigestErrorOnDataOutIsRejectedAndTheTaskEndsWithCrcError() throws Exception {
        try (TargetFixture f = twoPortals()) {
            Session[] good = goodSessions(f);
            try (Raw raw = Raw.login(f, true)) {
                int sn = raw.expCmdSn;
                raw.send(raw.scsi(0x200, sn, Cdb.write10(100, 1, false), null, BLOCK, false));   // F=0: unsolicited Data-Out follows
                byte[] dataOut = raw.bytes(raw.dataOut(0x200, Bhs.RESERVED_TAG, 0, 0, pattern(1)));
                dataOut[dataOut.length - 1] ^= 0x55;                                              // break the data digest
                raw.send(dataOut);
                Frame reject = raw.read();
                assertThat(reject.opcode()).isEqualTo(Opcode.REJECT.code);
                assertThat(reject.bhs[2]).as("reason: data digest error").isEqualTo((byte) 0x02);
                assertThat(reject.data[0] & 0x3f).as("Reject quotes the Data-Out header").isEqualTo(Opcode.SCSI_DATA_OUT.code);
                assertCrcCheckCondition(raw.read(), 0x200);
                assertTurGood(raw, 0x201, sn + 1);
            }
            assertGoodSessionsWork(f, good);
        }
    }

    /**
     * RFC 7143 §7.8: a SCSI Command whose immediate data fails the data digest is answered with Reject 0x02; its
     * non-data part is preserved, so the task is ended (ERL 0: CHECK CONDITION 0B/47/05), not lost; the CmdSN
     * window moves on and the connection stays usable.
     */
    @Test
    void dataDigestErrorOnImmediateDataIsRejectedAndTheCommandStillAnswered() throws Exception {
        try (TargetFixture f = twoPortals()) {
            Session[] good = goodSessions(f);
            try (Raw raw = Raw.login(f, true)) {
                int sn = raw.expCmdSn;
                byte[] cmd = raw.bytes(raw.scsi(0x300, sn, Cdb.write10(200, 1, false), pattern(2), BLOCK, true));
                cmd[cmd.length - 1] ^= 0x55;
                raw.send(cmd);
                Frame reject = raw.read();
                assertThat(reject.opcode()).isEqualTo(Opcode.REJECT.code);
                assertThat(reject.bhs[2]).as("reason: data digest error").isEqualTo((byte) 0x02);
                assertCrcCheckCondition(raw.read(), 0x300);
                assertTurGood(raw, 0x301, sn + 1);
            }
            assertGoodSessionsWork(f, good);
        }
    }

    /**
     * RFC 7143 §7.8: with a header digest error nothing in the header can be trusted (not even the data segment
     * length, so framing is lost); at ERL 0 the connection is dropped.
     */
    @Test
    void headerDigestErrorDropsTheConnection() throws Exception {
        try (TargetFixture f = twoPortals()) {
            Session[] good = goodSessions(f);
            try (Raw raw = Raw.login(f, true)) {
                assertThat(f.target.sessions()).hasSize(3);
                byte[] tur = raw.bytes(raw.tur(0x400, raw.expCmdSn));
                tur[Bhs.LENGTH] ^= 0x01;                               // the header digest follows the BHS
                raw.send(tur);
                List<Integer> before = raw.readUntilClosed();
                // what the target sends before it closes: a Reject quoting the untrusted header (reason 0x02)
                assertThat(before).as("PDUs before the close").containsOnly(Opcode.REJECT.code);
                awaitSessions(f, 2);
            }
            assertGoodSessionsWork(f, good);
        }
    }

    /** Random bytes before login and after it: the connection is closed, the target keeps serving. */
    @Test
    void garbageBytesCloseTheConnection() throws Exception {
        try (TargetFixture f = twoPortals()) {
            Session[] good = goodSessions(f);
            Random rnd = new Random(0x5eed);
            for (int port = 0; port < 2; port++) {
                try (Socket s = new Socket("127.0.0.1", f.portal(port).getPort())) {
                    s.setSoTimeout(2000);
                    byte[] junk = new byte[16384];
                    rnd.nextBytes(junk);
                    s.getOutputStream().write(junk);
                    s.getOutputStream().flush();
                    drainUntilClosed(s.getInputStream());
                }
            }
            try (Raw raw = Raw.login(f, false)) {
                byte[] junk = new byte[16384];
                rnd.nextBytes(junk);
                raw.send(junk);
                raw.readUntilClosed();
                awaitSessions(f, 2);
            }
            assertGoodSessionsWork(f, good);
        }
    }

    /** The client shuts down its output (FIN) mid-PDU, or right after login: the target closes and frees the session. */
    @Test
    void halfClosedSocketEndsTheSession() throws Exception {
        try (TargetFixture f = twoPortals()) {
            Session[] good = goodSessions(f);
            try (Raw raw = Raw.login(f, false)) {
                assertThat(f.target.sessions()).hasSize(3);
                byte[] tur = raw.bytes(raw.tur(0x500, raw.expCmdSn));
                raw.out.write(tur, 0, 20);                              // half a BHS
                raw.out.flush();
                raw.socket.shutdownOutput();
                assertThat(raw.readUntilClosed()).as("nothing answered to half a PDU").isEmpty();
                awaitSessions(f, 2);
            }
            try (Raw raw = Raw.login(f, false)) {
                assertThat(f.target.sessions()).hasSize(3);
                raw.socket.shutdownOutput();
                assertThat(raw.readUntilClosed()).isEmpty();
                awaitSessions(f, 2);
            }
            try (Socket s = new Socket("127.0.0.1", f.portal(1).getPort())) {     // half a Login Request
                s.setSoTimeout(2000);
                s.getOutputStream().write(Raw.bytes(login(0x4000_0000_0099L, false), Digests.none()), 0, 30);
                s.shutdownOutput();
                drainUntilClosed(s.getInputStream());
            }
            // the client sees the close as soon as the target closes; the portal forgets the channel just after
            long deadline = System.nanoTime() + 2_000_000_000L;
            while (connections(f) != 2 && System.nanoTime() < deadline) Thread.sleep(10);
            assertThat(connections(f)).as("only the good sessions' connections are left").isEqualTo(2);
            assertGoodSessionsWork(f, good);
        }
    }

    private static int connections(TargetFixture f) {
        return f.target.portal(0).connectionCount() + f.target.portal(1).connectionCount();
    }

    // ------------------------------------------------------------------ helpers

    private static final int BLOCK = TargetFixture.BLOCK;
    private static final int QUIET_MS = 1000;
    private static final AtomicLong ISID = new AtomicLong(0x4000_0000_0100L);
    private final AtomicLong nextLba = new AtomicLong(1000);

    private static TargetFixture twoPortals() throws InterruptedException {
        return new TargetFixture(s -> { }, n -> { }, 2);
    }

    /** One plain session on portal 0 and one with both digests on portal 1. */
    private static Session[] goodSessions(TargetFixture f) throws Exception {
        Session a = f.login(f.config().build());
        Session b = f.login(f.config().portal(f.portal(1)).headerDigest(true).dataDigest(true).build());
        assertThat(f.target.sessions()).hasSize(2);
        return new Session[] {a, b};
    }

    /** Each good session still answers a TUR and writes and reads back a few blocks. */
    private void assertGoodSessionsWork(TargetFixture f, Session... sessions) throws Exception {
        for (Session s : sessions) {
            assertThat(TargetFixture.run(s, ScsiCommand.none(Cdb.testUnitReady())).status()).isZero();
            long lba = nextLba.getAndAdd(8);
            byte[] data = pattern((int) lba);
            data = java.util.Arrays.copyOf(data, 4 * BLOCK);
            ScsiResponse w = TargetFixture.run(s, ScsiCommand.write(Cdb.write10(lba, 4, false), Unpooled.wrappedBuffer(data)));
            assertThat(w.status()).as("write: %s", w).isZero();
            w.release();
            ScsiResponse r = TargetFixture.run(s, ScsiCommand.read(Cdb.read10(lba, 4), 4 * BLOCK));
            byte[] got = new byte[r.data().readableBytes()];
            r.data().readBytes(got);
            r.release();
            assertThat(got).isEqualTo(data);
        }
        assertThat(f.target.sessions()).as("the good sessions are still there").hasSize(sessions.length);
    }

    private static byte[] pattern(int seed) {
        byte[] b = new byte[BLOCK];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static void awaitSessions(TargetFixture f, int n) throws InterruptedException {
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (f.target.sessions().size() != n && System.nanoTime() < deadline) Thread.sleep(10);
        assertThat(f.target.sessions()).as("sessions after the bad connection closed").hasSize(n);
    }

    private static void drainUntilClosed(InputStream in) throws Exception {
        byte[] buf = new byte[4096];
        while (in.read(buf) >= 0) { }                  // SocketTimeoutException fails the test
    }

    private static void assertTurGood(Raw raw, int itt, int cmdSn) throws Exception {
        raw.send(raw.tur(itt, cmdSn));
        Frame rsp = raw.read();
        assertThat(rsp.opcode()).isEqualTo(Opcode.SCSI_RESPONSE.code);
        assertThat(rsp.itt()).isEqualTo(itt);
        assertThat(rsp.bhs[3]).as("TUR status").isZero();
    }

    /** SCSI Response: CHECK CONDITION, ABORTED COMMAND, 47/05 PROTOCOL SERVICE CRC ERROR. */
    private static void assertCrcCheckCondition(Frame rsp, int itt) {
        assertThat(rsp.opcode()).as("SCSI Response").isEqualTo(Opcode.SCSI_RESPONSE.code);
        assertThat(rsp.itt()).isEqualTo(itt);
        assertThat(rsp.bhs[3]).as("status CHECK CONDITION").isEqualTo((byte) 0x02);
        byte[] s = java.util.Arrays.copyOfRange(rsp.data, 2, rsp.data.length);        // SenseLength, then sense
        int key, asc, ascq;
        if ((s[0] & 0x7f) >= 0x72) { key = s[1] & 0x0f; asc = s[2] & 0xff; ascq = s[3] & 0xff; }
        else { key = s[2] & 0x0f; asc = s[12] & 0xff; ascq = s[13] & 0xff; }
        assertThat(new int[] {key, asc, ascq}).as("sense key/ASC/ASCQ").containsExactly(0x0b, 0x47, 0x05);
    }

    private static Pdu login(long isid, boolean digests) {
        TextParameters keys = TextParameters.of("InitiatorName", "iqn.2026-01.io.mpathgw.test:raw",
                "SessionType", "Normal", "TargetName", TargetFixture.IQN,
                "HeaderDigest", digests ? "CRC32C" : "None", "DataDigest", digests ? "CRC32C" : "None",
                "InitialR2T", "No", "ImmediateData", "Yes");
        ByteBuf text = Unpooled.buffer();
        keys.encodeTo(text);
        Pdu p = Pdu.create(Opcode.LOGIN_REQUEST, text);
        p.bhs().immediate(true).loginStage(true, 1, 3).isid(isid).itt(1).cmdSn(7);
        return p;
    }

    /** A received PDU: BHS and data segment. */
    private record Frame(byte[] bhs, byte[] data) {
        int opcode() { return bhs[0] & 0x3f; }
        int int32(int at) { return java.nio.ByteBuffer.wrap(bhs).getInt(at); }
        int itt() { return int32(16); }
    }

    /** A raw, logged-in connection on portal 0 that builds its frames with the codec, digests as negotiated. */
    private static final class Raw implements AutoCloseable {
        final Socket socket;
        final OutputStream out;
        final DataInputStream in;
        final Digests digests = Digests.none();
        int expCmdSn, maxCmdSn, expStatSn;

        private Raw(Socket socket) throws Exception {
            this.socket = socket;
            this.out = socket.getOutputStream();
            this.in = new DataInputStream(socket.getInputStream());
        }

        static Raw login(TargetFixture f, boolean digests) throws Exception {
            Raw r = new Raw(new Socket("127.0.0.1", f.portal(0).getPort()));
            r.socket.setSoTimeout(2000);
            r.send(bytes(TargetMalformedTest.login(ISID.getAndIncrement(), digests), r.digests));
            Frame rsp = r.read();
            assertThat(rsp.opcode()).isEqualTo(Opcode.LOGIN_RESPONSE.code);
            assertThat(rsp.bhs[36]).as("Status-Class").isZero();
            assertThat(rsp.bhs[1] & 0x83).as("T bit and NSG=3").isEqualTo(0x83);
            String keys = new String(rsp.data, java.nio.charset.StandardCharsets.UTF_8);
            if (digests) assertThat(keys).contains("HeaderDigest=CRC32C", "DataDigest=CRC32C");
            r.digests.enable(digests, digests);
            r.expCmdSn = rsp.int32(28);
            r.maxCmdSn = rsp.int32(32);
            r.expStatSn = rsp.int32(24) + 1;
            return r;
        }

        Pdu tur(int itt, int cmdSn) {
            return scsi(itt, cmdSn, Cdb.testUnitReady(), null, 0, true);
        }

        Pdu scsi(int itt, int cmdSn, byte[] cdb, byte[] immediate, int edtl, boolean finalBit) {
            Pdu p = Pdu.create(Opcode.SCSI_COMMAND, immediate == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(immediate));
            boolean write = edtl > 0;
            p.bhs().flags((finalBit ? Bhs.F_BIT : 0) | (write ? 0x20 : 0) | 0x01).lun(0).itt(itt)
                    .expectedDataTransferLength(edtl).cmdSn(cmdSn).expStatSn(expStatSn).cdb(cdb);
            return p;
        }

        Pdu dataOut(int itt, int ttt, int dataSn, int offset, byte[] data) {
            Pdu p = Pdu.create(Opcode.SCSI_DATA_OUT, Unpooled.wrappedBuffer(data));
            p.bhs().flags(Bhs.F_BIT).lun(0).itt(itt).ttt(ttt).expStatSn(expStatSn).dataSn(dataSn).bufferOffset(offset);
            return p;
        }

        byte[] bytes(Pdu p) {
            return bytes(p, digests);
        }

        static byte[] bytes(Pdu p, Digests d) {
            ByteBuf b = PduEncoder.encodeToBuffer(p, d);
            p.release();
            byte[] a = new byte[b.readableBytes()];
            b.readBytes(a);
            b.release();
            return a;
        }

        void send(Pdu p) throws Exception {
            send(bytes(p));
        }

        void send(byte[] frame) throws Exception {
            out.write(frame);
            out.flush();
        }

        /** One PDU, digests skipped (not checked); fails on a timeout or EOF. */
        Frame read() throws Exception {
            byte[] bhs = new byte[Bhs.LENGTH];
            in.readFully(bhs);
            int ahs = (bhs[4] & 0xff) * 4;
            int dsl = ((bhs[5] & 0xff) << 16) | ((bhs[6] & 0xff) << 8) | (bhs[7] & 0xff);
            in.readFully(new byte[ahs + digests.header()]);
            byte[] data = new byte[dsl];
            in.readFully(data);
            in.readFully(new byte[(-dsl & 3) + digests.data(dsl)]);
            if (bhs[0] == Opcode.SCSI_RESPONSE.code || (bhs[0] & 0x3f) == Opcode.REJECT.code) expStatSn = ByteBuffer.wrap(bhs).getInt(24) + 1;
            return new Frame(bhs, data);
        }

        /** Opcodes of the whole PDUs received until the target closes the connection (within 2 s). */
        List<Integer> readUntilClosed() throws Exception {
            List<Integer> got = new ArrayList<>();
            while (true) {
                try {
                    got.add(read().opcode());
                } catch (EOFException e) {
                    return got;
                } catch (SocketException e) {          // a reset counts as closed too
                    return got;
                }
            }
        }

        void assertNothingWithin(int millis) throws Exception {
            int old = socket.getSoTimeout();
            socket.setSoTimeout(millis);
            try {
                int b = in.read();
                throw new AssertionError("expected no answer within " + millis + " ms, got "
                        + (b < 0 ? "the connection closed" : "a PDU starting 0x" + Integer.toHexString(b)));
            } catch (SocketTimeoutException expected) {
                // silence, as §3.2.2.1 wants
            } finally {
                socket.setSoTimeout(old);
            }
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }

    private static Pdu login() {
        TextParameters keys = TextParameters.of("InitiatorName", "iqn.2026-01.io.mpathgw.test:raw",
                "SessionType", "Normal", "TargetName", TargetFixture.IQN);
        ByteBuf text = Unpooled.buffer();
        keys.encodeTo(text);
        Pdu p = Pdu.create(Opcode.LOGIN_REQUEST, text);
        p.bhs().immediate(true).loginStage(true, 1, 3).isid(0x4000_0000_0001L).itt(1).cmdSn(7);
        return p;
    }

    private static byte[] bytes(Pdu p) {
        ByteBuf b = PduEncoder.encodeToBuffer(p, Digests.none());
        p.release();
        byte[] a = new byte[b.readableBytes()];
        b.readBytes(a);
        b.release();
        return a;
    }

    private static byte[] readPdu(DataInputStream in) throws Exception {
        byte[] bhs = new byte[Bhs.LENGTH];
        in.readFully(bhs);
        int dsl = ((bhs[5] & 0xff) << 16) | ((bhs[6] & 0xff) << 8) | (bhs[7] & 0xff);
        in.readFully(new byte[(dsl + 3) & ~3]);
        return bhs;
    }
}
