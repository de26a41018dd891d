package io.mpathgw.iscsi.initiator;

import io.mpathgw.iscsi.pdu.Bhs;
import io.mpathgw.iscsi.pdu.Opcode;
import io.mpathgw.iscsi.pdu.Pdu;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.mpathgw.iscsi.initiator.ScriptedHarness.get;
import static org.assertj.core.api.Assertions.assertThat;

/** Text Request/Response (RFC 7143 §11.10, §11.11): a SendTargets answer spread over several PDUs. */
class ScriptedTextTest {

    @RegisterExtension
    static final ScriptedHarness h = new ScriptedHarness();

    static final String PART1 = "TargetName=iqn.2026-11.test:a\0TargetAddress=127.0.0.1:3260,1\0TargetName=iqn.20";
    static final String PART2 = "26-11.test:b\0TargetAddress=[::1]:3261,2\0";

    /**
     * The first response ends mid-key: with the C bit (text continues) or, where a target cuts at a pair boundary
     * only, the second pair set arrives in full; either way F=0 with a TTT asks for the rest.
     */
    @ParameterizedTest(name = "C bit {0}")
    @ValueSource(booleans = {true, false})
    void aLongSendTargetsAnswerIsFetchedWithTheSameIttAndTheTargetsTtt(boolean continueBit) throws Exception {
        String first = continueBit ? PART1 : PART1.substring(0, PART1.lastIndexOf('\0') + 1);
        String second = continueBit ? PART2 : "TargetName=iqn.20" + PART2;
        ScriptedTarget t = h.target(ScriptedTarget.builder().script((p, pdu) -> {
            if (pdu.opcode() != Opcode.TEXT_REQUEST) {
                ScriptedDisk.standard(p, pdu);
                return;
            }
            boolean more = p.received(Opcode.TEXT_REQUEST).size() == 1;
            Pdu rsp = Pdu.create(p.channel.alloc(), Opcode.TEXT_RESPONSE,
                    Unpooled.copiedBuffer(more ? first : second, StandardCharsets.UTF_8));
            rsp.bhs().flags(more ? (continueBit ? Bhs.CONTINUE : 0) : Bhs.F_BIT).itt(pdu.bhs().itt())
                    .ttt(more ? 0x5151 : Bhs.RESERVED_TAG);
            p.send(rsp);
        }));
        Session s = h.login(InitiatorConfig.builder(t.address(), null).nopInterval(java.time.Duration.ZERO));

        List<DiscoveredTarget> found = get(s.sendTargets("All"));

        assertThat(found).extracting(DiscoveredTarget::name).containsExactly("iqn.2026-11.test:a", "iqn.2026-11.test:b");
        assertThat(found.get(1).addresses()).containsExactly(new TargetAddress("::1", 3261, 2));
        List<ScriptedPeer.Received> reqs = t.peer(0).received(Opcode.TEXT_REQUEST);
        assertThat(reqs).hasSize(2);
        assertThat(reqs.get(1).bhs().ttt()).isEqualTo(0x5151);
        assertThat(reqs.get(1).data()).isEmpty();
        // RFC 7143 §11.10.4: the Initiator Task Tag MUST be the same for all requests within the sequence
        assertThat(Integer.toHexString(reqs.get(1).itt())).isEqualTo(Integer.toHexString(reqs.get(0).itt()));
        assertThat(reqs.get(0).bhs().ttt()).isEqualTo(Bhs.RESERVED_TAG);
    }
}
