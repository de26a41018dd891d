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
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

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
