package io.mpathgw.gateway.group;

import io.mpathgw.dm.engine.ExecutorMapThread;
import io.mpathgw.dm.engine.MultipathDevice;
import io.mpathgw.dm.engine.NoPathRetry;
import io.mpathgw.dm.table.MultipathTable;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The countdown itself is the engine's (NoPathQueueing); this only checks that a table assembled for no_path_retry 12
 * carries queue_if_no_path, so that the engine has something to count down.
 */
class NoPathRetryTableTest {

    @Test
    void noPathRetry12QueuesAndTheEngineCountsDownFromIt() throws Exception {
        List<PlannedGroup> groups = PathGrouping.group("multibus",
                List.of(GroupablePath.of("8:16", 1, true), GroupablePath.of("8:32", 1, true)));
        String table = TableAssembler.assemble("0", "0", "round-robin 0", groups, 1, 1, null, NoPathRetry.checks(12));
        assertThat(table).isEqualTo("1 queue_if_no_path 0 1 1 round-robin 0 2 1 8:16 1 8:32 1");
        assertThat(MultipathTable.parse(table).features().queueIfNoPath()).isTrue();

        try (ExecutorMapThread thread = new ExecutorMapThread("map-npr12")) {
            MultipathDevice map = MultipathDevice.builder("mpatha", 2048, MultipathTable.parse(table)).thread(thread)
                    .pathIo((path, request, done) -> done.accept(io.mpathgw.dm.engine.BlkStatus.IOERR))
                    .noPathRetry(NoPathRetry.checks(12), Duration.ofSeconds(5)).build();
            CompletableFuture<List<String>> seen = new CompletableFuture<>();
            thread.execute(() -> {
                try {
                    String before = map.queueingState();
                    map.message(0, "fail_path 8:16");
                    map.message(0, "fail_path 8:32");
                    seen.complete(List.of(before, map.queueingState(), map.table()));
                } catch (Exception e) {
                    seen.completeExceptionally(e);
                }
            });
            List<String> s = seen.get(10, TimeUnit.SECONDS);
            assertThat(s.get(0)).isEqualTo("12 chk");
            assertThat(s.get(1)).as("recovery: 12 × 5 s + one tick").isEqualTo("61 sec");
            assertThat(s.get(2)).startsWith("1 queue_if_no_path 0 1 1 ");
        }
    }
}
