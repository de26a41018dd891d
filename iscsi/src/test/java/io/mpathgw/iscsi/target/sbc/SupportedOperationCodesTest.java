package io.mpathgw.iscsi.target.sbc;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static io.mpathgw.iscsi.target.sbc.TestLu.A;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * REPORT SUPPORTED OPERATION CODES as libiscsi's ReportSupportedOpcodes.* reads it, and the promise behind it: every
 * CDB built from a command's usage data — every bit it claims set — is accepted by CDB validation, and any other bit
 * is refused with a field pointer to it.
 */
class SupportedOperationCodesTest {

    record Descriptor(int opcode, int serviceAction, boolean servactv, boolean ctdp, int cdbLength) {
    }

    private static List<Descriptor> all(TestLu t, boolean rctd) {
        byte[] d = t.run(A, "a3 0c " + (rctd ? "80" : "00") + " 00 0000 0000ffff 00 00").expect(Expect.GOOD).data();
        ByteBuffer b = ByteBuffer.wrap(d);
        int length = b.getInt();
        assertThat(length).isEqualTo(d.length - 4);
        List<Descriptor> list = new ArrayList<>();
        while (b.hasRemaining()) {
            int op = b.get() & 0xFF;
            b.get();
            int sa = b.getShort() & 0xFFFF;
            b.get();
            int flags = b.get();
            int len = b.getShort();
            list.add(new Descriptor(op, sa, (flags & 1) != 0, (flags & 2) != 0, len));
            if ((flags & 2) != 0) {
                assertThat(b.getShort()).as("timeouts descriptor length").isEqualTo((short) 0x0A);
                b.position(b.position() + 10);
            }
        }
        return list;
    }

    @Test
    void everyListedCommandAnswersTheOneCommandFormsLikeLibiscsiExpects() {
        try (TestLu t = TestLu.profile("std")) {
            List<Descriptor> list = all(t, false);
            assertThat(list).hasSize((int) java.util.Arrays.stream(SbcCommand.values())
                    .filter(c -> c != SbcCommand.SET_TARGET_PORT_GROUPS).count());
            for (Descriptor d : list) {
                assertThat(d.servactv || d.serviceAction == 0).isTrue();
                assertThat(d.ctdp).isFalse();
                String sa = TestLu.be(d.serviceAction, 2);
                String op = TestLu.be(d.opcode, 1);
                t.run(A, "a3 0c 01 " + op + sa + "0000ffff 00 00")
                        .expect(d.servactv ? Expect.INVALID_FIELD_IN_CDB.at(2, 2) : Expect.GOOD);
                t.run(A, "a3 0c 02 " + op + sa + "0000ffff 00 00")
                        .expect(d.servactv ? Expect.GOOD : Expect.INVALID_FIELD_IN_CDB.at(2, 2));
                byte[] one = t.run(A, "a3 0c 03 " + op + sa + "0000ffff 00 00").expect(Expect.GOOD).data();
                assertThat(one[1] & 0x07).as("SUPPORT of %02x", d.opcode).isEqualTo(3);
                assertThat((one[2] & 0xFF) << 8 | one[3] & 0xFF).isEqualTo(d.cdbLength);
                assertThat(one[4] & 0xFF).as("CDB USAGE DATA byte 0 is the opcode").isEqualTo(d.opcode);
            }
            assertThat(all(t, true)).allMatch(Descriptor::ctdp);
        }
    }

    @Test
    void theListFollowsTheSettings() {
        try (TestLu plain = TestLu.profile("plain"); TestLu explicit = TestLu.profile("explicit")) {
            assertThat(all(plain, false)).extracting(Descriptor::opcode).doesNotContain(0x42, 0xA4)
                    .contains(0x28, 0x5E, 0x9E);
            assertThat(all(plain, false)).noneMatch(d -> d.opcode == 0xA3 && d.serviceAction == 0x0A);
            assertThat(all(explicit, false)).anyMatch(d -> d.opcode == 0xA4 && d.serviceAction == 0x0A);
        }
    }

    @Test
    void usageDataIsExactlyWhatValidationAccepts() {
        for (SbcCommand c : SbcCommand.values()) {
            byte[] usage = c.usage();
            byte[] cdb = usage.clone();
            cdb[usage.length - 1] = 0;
            if (cdb.length > 1 && (c.serviceAction >= 0)) cdb[1] = (byte) (usage[1]);
            c.validate(TestLu.pad16(cdb));                       // every claimed bit at once is fine
            for (int i = 1; i < usage.length - 1; i++) {
                for (int bit = 0; bit < 8; bit++) {
                    if ((usage[i] & 1 << bit) != 0) continue;
                    byte[] bad = new byte[Math.max(16, usage.length)];
                    bad[0] = usage[0];
                    if (c.serviceAction >= 0) bad[1] = (byte) c.serviceAction;
                    bad[i] |= (byte) (1 << bit);
                    int protect = i == 1 && bit >= 5 && hasProtectField(c) ? 7 : bit;
                    try {
                        c.validate(bad);
                        throw new AssertionError(c + " accepted byte " + i + " bit " + bit);
                    } catch (CheckCondition e) {
                        assertThat(e.senseData().fieldByte()).as(c + " byte " + i + " bit " + bit).isEqualTo(i);
                        assertThat(e.senseData().fieldBit()).as(c + " byte " + i + " bit " + bit).isEqualTo(protect);
                    }
                }
            }
        }
    }

    private static boolean hasProtectField(SbcCommand c) {
        byte[] bad = new byte[16];
        bad[0] = (byte) c.opcode;
        bad[1] = 0x20;
        try {
            c.validate(bad);
            return false;
        } catch (CheckCondition e) {
            return e.senseData().fieldBit() == 7;
        }
    }
}
