package io.mpathgw.iscsi.initiator;

import io.mpathgw.iscsi.pdu.Bhs;
import io.mpathgw.iscsi.pdu.Opcode;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.Lun;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.TransportException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import static io.mpathgw.iscsi.initiator.ScriptedHarness.config;
import static io.mpathgw.iscsi.initiator.ScriptedHarness.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Task set functions (RFC 7143 §11.5.1). With TaskReporting=RFC3720 (what we negotiate) the target ends the
 * affected tasks silently (§4.2.3.2), so once it answers Function complete the initiator must end them itself —
 * at once, with ABORTED, not after each command's own timeout.
 */
class ScriptedTaskManagementTest {

    @RegisterExtension
    static final ScriptedHarness h = new ScriptedHarness();

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = TaskManagement.class, names = {"ABORT_TASK_SET", "CLEAR_TASK_SET", "LOGICAL_UNIT_RESET",
            "TARGET_WARM_RESET"})
    void commandsATaskSetFunctionEndedFailAtOnceWithAborted(TaskManagement fn) throws Exception {
        Map<Integer, Long> held = new ConcurrentHashMap<>();
        ScriptedTarget t = h.target(ScriptedTarget.builder().script((p, pdu) -> {
            Bhs b = pdu.bhs();
            if (pdu.opcode() == Opcode.SCSI_COMMAND) held.put(b.itt(), b.lun());
            else ScriptedDisk.standard(p, pdu);          // the TMF: Function complete, nothing for the tasks
        }));
        Session s = h.login(config(t).commandTimeout(Duration.ofSeconds(5)));
        List<CompletableFuture<ScsiResponse>> lun1 = new ArrayList<>();
        for (int i = 0; i < 3; i++) lun1.add(s.lun(1).submit(ScsiCommand.read(Cdb.read10(i, 1), 512)));
        CompletableFuture<ScsiResponse> lun2 = s.lun(2).submit(ScsiCommand.read(Cdb.read10(0, 1), 512));
        t.peer(0).await(Opcode.SCSI_COMMAND, 4);

        assertThat(get(s.taskManagement(fn, 1))).isEqualTo(TaskManagement.FUNCTION_COMPLETE);

        for (CompletableFuture<ScsiResponse> f : lun1) {
            TransportException e = ScriptedHarness.failure(f, Duration.ofMillis(500));
            assertThat(e.kind()).isEqualTo(TransportException.Kind.ABORTED);
        }
        if (fn == TaskManagement.TARGET_WARM_RESET) {
            assertThat(ScriptedHarness.failure(lun2, Duration.ofMillis(500)).kind()).isEqualTo(TransportException.Kind.ABORTED);
        } else {
            assertThat(lun2).isNotDone();
            int itt = held.entrySet().stream().filter(e -> e.getValue() == Lun.of(2).raw()).findFirst().orElseThrow().getKey();
            t.peer(0).send(t.peer(0).scsiResponse(itt, ScsiResponse.GOOD, null));
            get(lun2).release();
        }
        assertThat(t.peer(0).received(Opcode.TASK_MGMT_REQUEST)).hasSize(1);   // no ABORT TASK per command
        assertThat(s.state()).isEqualTo(SessionState.LOGGED_IN);
    }
}
