package io.mpathgw.iscsi.initiator;

import io.mpathgw.iscsi.pdu.Opcode;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.DataDirection;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiResponse;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.Arrays;

import static io.mpathgw.iscsi.initiator.ScriptedHarness.config;
import static io.mpathgw.iscsi.initiator.ScriptedHarness.get;
import static org.assertj.core.api.Assertions.assertThat;

/** The SCSI Command PDU itself: CDBs longer than 16 bytes, and digests over segments that need padding. */
class ScriptedCommandTest {

    @RegisterExtension
    static final ScriptedHarness h = new ScriptedHarness();

    @Test
    void aCdbLongerThan16BytesTravelsInAnExtendedCdbAhs() throws Exception {
        ScriptedTarget t = h.target(ScriptedTarget.builder());
        Session s = h.login(config(t));
        byte[] cdb = new byte[32];
        for (int i = 0; i < cdb.length; i++) cdb[i] = (byte) (0x7f - i);

        get(s.lun(0).submit(new ScsiCommand(cdb, DataDirection.NONE, null, 0, Duration.ZERO))).release();

        byte[] header = t.peer(0).received(Opcode.SCSI_COMMAND).get(0).header();
        // RFC 7143 §11.2.2.3: BHS bytes 32..47 hold CDB 0..15; AHS: length 17 (reserved byte + 16), type 1
        assertThat(header).hasSize(48 + 20);
        assertThat(header[4]).as("TotalAHSLength in words").isEqualTo((byte) 5);
        assertThat(Arrays.copyOfRange(header, 32, 48)).isEqualTo(Arrays.copyOfRange(cdb, 0, 16));
        assertThat(Arrays.copyOfRange(header, 48, 52)).containsExactly(0, 17, 1, 0);
        assertThat(Arrays.copyOfRange(header, 52, 68)).isEqualTo(Arrays.copyOfRange(cdb, 16, 32));
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {1, 3, 1001, 4097, 12289})
    void headerAndDataDigestsCoverOddLengthsBothWays(int n) throws Exception {
        ScriptedTarget t = h.target(ScriptedTarget.builder().answer("HeaderDigest", "CRC32C").answer("DataDigest", "CRC32C")
                .answer("InitialR2T", "No").answer("FirstBurstLength", "8192"));
        Session s = h.login(config(t).headerDigest(true).dataDigest(true));
        assertThat(s.negotiated().dataDigest()).isTrue();
        byte[] bytes = ScriptedDisk.pattern(5, n);

        get(s.lun(0).submit(ScsiCommand.write(Cdb.write10(0, 1, false), Unpooled.wrappedBuffer(bytes)))).release();
        ScsiResponse r = get(s.lun(0).submit(ScsiCommand.read(Cdb.read10(0, 1), n)));

        assertThat(t.peer(0).completedWrites().get(0).data).isEqualTo(bytes);
        assertThat(ByteBufUtil.getBytes(r.data())).isEqualTo(ScriptedDisk.pattern(0, n));
        r.release();
    }
}
