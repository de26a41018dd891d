package io.mpathgw.iscsi.initiator;

import io.mpathgw.iscsi.pdu.Bhs;
import io.mpathgw.iscsi.pdu.Digests;
import io.mpathgw.iscsi.pdu.Opcode;
import io.mpathgw.iscsi.pdu.Pdu;
import io.mpathgw.iscsi.pdu.PduEncoder;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.ScsiTransport;
import io.mpathgw.scsi.TransportException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.mpathgw.iscsi.initiator.ScriptedHarness.config;
import static io.mpathgw.iscsi.initiator.ScriptedHarness.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the target gets wrong on the wire: a Reject of one command (only that command fails), and malformed frames
 * (the connection drops with a WARNING naming the field, nothing escapes the event loop, the session logs in
 * again). The harness checks the event loop side after each test.
 */
class ScriptedMalformedTest {

    @RegisterExtension
    static final ScriptedHarness h = new ScriptedHarness();

    @Test
    void aRejectOfOneCommandFailsThatCommandAloneWithProtocolError() throws Exception {
        ScriptedTarget t = h.target(ScriptedTarget.builder().script((p, pdu) -> {
            Bhs b = pdu.bhs();
            boolean second = pdu.opcode() == Opcode.SCSI_COMMAND && p.received(Opcode.SCSI_COMMAND).size() == 2;
            if (second) p.send(p.reject(0x09, p.received(Opcode.SCSI_COMMAND).get(1).header()));
            else ScriptedDisk.standard(p, pdu);
        }));
        Session s = h.login(config(t));
        ScsiTransport lun = s.lun(0);
        CompletableFuture<ScsiResponse> first = lun.submit(ScsiCommand.read(Cdb.read10(0, 1), 512));
        get(first).release();
        CompletableFuture<ScsiResponse> rejected = lun.submit(ScsiCommand.none(Cdb.testUnitReady()));
        TransportException e = ScriptedHarness.failure(rejected, Duration.ofSeconds(2));
        CompletableFuture<ScsiResponse> third = lun.submit(ScsiCommand.read(Cdb.read10(1, 1), 512));

        assertThat(e.kind()).isEqualTo(TransportException.Kind.PROTOCOL_ERROR);
        assertThat(e).hasMessageContaining("reason 0x09");
        get(third).release();
        assertThat(s.state()).isEqualTo(SessionState.LOGGED_IN);
        assertThat(t.logins()).isEqualTo(1);
    }

    @Test
    void aRejectOfANopOutPingFailsOnlyThePing() throws Exception {
        ScriptedTarget t = h.target(ScriptedTarget.builder().script((p, pdu) -> {
            if (pdu.opcode() == Opcode.NOP_OUT && pdu.bhs().itt() != Bhs.RESERVED_TAG)
                p.send(p.reject(0x04, p.received(Opcode.NOP_OUT).get(0).header()));
            else ScriptedDisk.standard(p, pdu);
        }));
        Session s = h.login(config(t).nopInterval(Duration.ofMillis(50)).nopTimeout(Duration.ofMillis(500)));
        t.peer(0).await(Opcode.NOP_OUT, 1);
        get(s.lun(0).submit(ScsiCommand.none(Cdb.testUnitReady()))).release();
        assertThat(s.state()).isEqualTo(SessionState.LOGGED_IN);
        assertThat(t.logins()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "undefined opcode 0x3c            | opcode: 0x3c",
            "initiator opcode from the target | opcode: 0x01",
            "DataSegmentLength over our limit | DataSegmentLength: 8193",
            "header digest mismatch           | HeaderDigest: 0x",
            "data digest mismatch             | DataDigest: 0x",
            "Reject of an unknown ITT         | target rejected",
            "response to an unknown ITT       | ITT: 0x7777777",
            "Login Response in full feature   | Login Response",
    })
    void aMalformedPduDropsTheConnectionWithAWarningNamingTheField(String fault, String named) throws Exception {
        boolean digests = fault.contains("digest");
        ScriptedTarget.Builder b = ScriptedTarget.builder().script((p, pdu) -> {
            if (pdu.opcode() == Opcode.SCSI_COMMAND && pdu.bhs().readBit()) inject(p, fault, pdu.bhs().itt());
            else ScriptedDisk.standard(p, pdu);
        });
        if (digests) b.answer("HeaderDigest", "CRC32C").answer("DataDigest", "CRC32C");
        ScriptedTarget t = h.target(b);
        List<String> states = new CopyOnWriteArrayList<>();
        Session s = h.login(config(t).headerDigest(digests).dataDigest(digests), new SessionListener() {
            @Override
            public void stateChanged(Session session, SessionState from, SessionState to, String cause) {
                states.add(to + ": " + cause);
            }
        });
        ScsiTransport lun = s.lun(0);
        if (digests) {
            assertThat(s.negotiated().headerDigest()).isTrue();
            get(lun.submit(ScsiCommand.write(Cdb.write10(0, 1, false), Unpooled.buffer(512).writeZero(512)))).release();
        }
        get(lun.submit(ScsiCommand.none(Cdb.testUnitReady()))).release();
        List<CompletableFuture<ScsiResponse>> fs = new ArrayList<>();
        fs.add(lun.submit(ScsiCommand.read(Cdb.read10(0, 1), 512)));

        TransportException e = ScriptedHarness.failure(fs.get(0), Duration.ofSeconds(2));
        assertThat(e.kind()).isEqualTo(TransportException.Kind.CONNECTION_LOST);
        assertThat(e).hasMessageContaining(named);
        assertThat(h.warnings("protocol error")).as("WARNING records").anySatisfy(m -> assertThat(m).contains(named));
        t.peer(1);
        ScriptedHarness.await("LOGGED_IN again", Duration.ofSeconds(2), () -> s.state() == SessionState.LOGGED_IN);
        t.script(ScriptedDisk::standard);
        get(lun.submit(ScsiCommand.read(Cdb.read10(0, 1), 512))).release();
        assertThat(String.join("\n", states)).contains(named);
    }

    /** Sends the fault in answer to the READ with {@code itt}. */
    private static void inject(ScriptedPeer p, String fault, int itt) {
        switch (fault) {
            case "undefined opcode 0x3c" -> p.sendRaw(rawHeader(0x3c, itt, 0));
            case "initiator opcode from the target" -> p.sendRaw(rawHeader(0x01, itt, 0));
            case "DataSegmentLength over our limit" -> p.sendRaw(rawHeader(Opcode.SCSI_DATA_IN.code, itt, 8193));
            case "header digest mismatch" -> p.sendRaw(corrupt(p.dataIn(itt, 0, 0, Unpooled.wrappedBuffer(new byte[512])), 48));
            case "data digest mismatch" ->
                    p.sendRaw(corrupt(p.dataIn(itt, 0, 0, Unpooled.wrappedBuffer(new byte[512])), 48 + 4 + 512));
            case "Reject of an unknown ITT" -> {
                byte[] header = rawHeaderBytes(Opcode.SCSI_COMMAND.code, 0x55555555, 0);
                p.send(p.reject(0x09, header));
            }
            case "response to an unknown ITT" -> p.send(p.scsiResponse(0x77777777, ScsiResponse.GOOD, null));
            case "Login Response in full feature" -> {
                Pdu rsp = Pdu.create(p.channel.alloc(), Opcode.LOGIN_RESPONSE, null);
                rsp.bhs().itt(itt);
                p.send(rsp);
            }
            default -> throw new AssertionError(fault);
        }
    }

    private static byte[] rawHeaderBytes(int opcode, int itt, int dsl) {
        byte[] h = new byte[Bhs.LENGTH];
        h[0] = (byte) opcode;
        h[1] = (byte) 0x80;
        h[5] = (byte) (dsl >> 16);
        h[6] = (byte) (dsl >> 8);
        h[7] = (byte) dsl;
        h[16] = (byte) (itt >> 24);
        h[17] = (byte) (itt >> 16);
        h[18] = (byte) (itt >> 8);
        h[19] = (byte) itt;
        return h;
    }

    private static ByteBuf rawHeader(int opcode, int itt, int dsl) {
        return Unpooled.wrappedBuffer(rawHeaderBytes(opcode, itt, dsl));
    }

    /** The PDU encoded with both digests, one bit flipped in the byte at {@code at} (a digest). */
    private static ByteBuf corrupt(Pdu pdu, int at) {
        Digests both = Digests.none();
        both.enable(true, true);
        pdu.bhs().flags(Bhs.F_BIT | Bhs.DATA_IN_STATUS);
        ByteBuf wire = PduEncoder.encodeToBuffer(pdu, both);
        pdu.release();
        wire.setByte(at, wire.getByte(at) ^ 0x01);
        return wire;
    }
}
