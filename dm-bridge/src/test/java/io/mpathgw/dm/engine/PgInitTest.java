package io.mpathgw.dm.engine;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** pg_init results and their consequences (spec §4.5, §9 item 5), through a scripted activator. */
class PgInitTest {

    private static final String TWO_SINGLE_PATH_PGS = " 1 alua 2 1 round-robin 0 1 0 8:16 round-robin 0 1 0 8:32";

    @Test
    void firstReadRunsOneRoundOnEveryActivePathOfTheGroup() throws Exception {
        MapHarness h = new MapHarness("0 1 alua 2 1 round-robin 0 2 0 8:16 8:32 round-robin 0 1 0 8:48");
        assertThat(h.read().status()).isEqualTo(BlkStatus.OK);
        assertThat(h.activated).containsExactly("8:16", "8:32");
        assertThat(h.status()).startsWith("2 0 1 0 2 1 A ");
    }

    @Test
    void retryWithoutRetriesFailsThePath() throws Exception {
        MapHarness h = new MapHarness("0" + TWO_SINGLE_PATH_PGS, ScsiDh.RETRY);
        assertThat(h.read().status()).isEqualTo(BlkStatus.OK);
        assertThat(h.log).containsExactly("device-mapper: multipath: 253:0: Failing path 8:16.");
        assertThat(h.paths.sentTo()).containsExactly("8:32");
        assertThat(h.status()).isEqualTo("2 0 1 0 2 2 E 0 1 0 8:16 F 1 A 0 1 0 8:32 A 0 ");
    }

    @Test
    void retriesRunFurtherRoundsTwoSecondsApartThenFail() throws Exception {
        MapHarness h = new MapHarness("3 queue_if_no_path pg_init_retries 2 1 alua 1 1 round-robin 0 1 0 8:16",
                ScsiDh.RETRY, ScsiDh.RETRY, ScsiDh.RETRY);
        List<Long> started = new ArrayList<>();
        TestRequest rq = h.submit();
        h.thread.runUntil(() -> {
            if (started.size() < h.activated.size()) started.add(h.thread.nanoTime() / 1_000_000);
            return h.activated.size() == 3 && h.log.size() == 1;
        }, 10_000);
        assertThat(started).hasSize(3);
        assertThat(started.get(1) - started.get(0)).isBetween(2000L, 2010L);
        assertThat(started.get(2) - started.get(1)).isBetween(2000L, 2010L);
        assertThat(h.log).containsExactly("device-mapper: multipath: 253:0: Failing path 8:16.");
        h.thread.advance(1);
        assertThat(rq.done()).as("queue_if_no_path holds the read").isFalse();
        assertThat(h.status()).isEqualTo("2 0 3 0 1 1 E 0 1 0 8:16 F 1 ");
    }

    @Test
    void tempBusyBypassesTheGroupAndTheOtherOneIsUsed() throws Exception {
        MapHarness h = new MapHarness("0" + TWO_SINGLE_PATH_PGS, ScsiDh.DEV_TEMP_BUSY);
        assertThat(h.read().status()).isEqualTo(BlkStatus.OK);
        assertThat(h.activated).containsExactly("8:16", "8:32");
        assertThat(h.paths.sentTo()).containsExactly("8:32");
        assertThat(h.status()).isEqualTo("2 0 1 0 2 2 D 0 1 0 8:16 A 0 A 0 1 0 8:32 A 0 ");
        assertThat(h.log).isEmpty();
    }

    @Test
    void nosysWithAHandlerFailsThePath() throws Exception {
        MapHarness h = new MapHarness("0" + TWO_SINGLE_PATH_PGS, ScsiDh.NOSYS);
        assertThat(h.read().status()).isEqualTo(BlkStatus.OK);
        assertThat(h.log).containsExactly(
                "device-mapper: multipath: Could not failover the device: Handler scsi_dh_alua Error 16.",
                "device-mapper: multipath: 253:0: Failing path 8:16.");
        assertThat(h.paths.sentTo()).containsExactly("8:32");
    }

    @Test
    void offlinedFailsThePathAndForgetsItAsCurrent() throws Exception {
        MapHarness h = new MapHarness("0" + TWO_SINGLE_PATH_PGS, ScsiDh.DEV_OFFLINED);
        assertThat(h.read().status()).isEqualTo(BlkStatus.OK);
        // fail_path already forgot the path as current, so "Could not failover device" is not printed
        assertThat(h.log).containsExactly("device-mapper: multipath: 253:0: Failing path 8:16.");
        assertThat(h.paths.sentTo()).containsExactly("8:32");
    }

    @Test
    void reinstatingAPathOfTheCurrentGroupActivatesJustThatPath() throws Exception {
        MapHarness h = new MapHarness("0 1 alua 1 1 round-robin 0 2 0 8:16 8:32");
        h.read();
        h.message("fail_path 8:16");
        h.activated.clear();
        h.message("reinstate_path 8:16");
        h.thread.advance(100);
        assertThat(h.activated).containsExactly("8:16");
        assertThat(h.status()).isEqualTo("2 0 1 0 1 1 A 0 2 0 8:16 A 1 8:32 A 0 ");
    }

    @Test
    void aBypassedGroupUsedAsLastResortWaitsThePgInitDelay() throws Exception {
        MapHarness h = new MapHarness("2 pg_init_delay_msecs 700 1 alua 1 1 round-robin 0 1 0 8:16");
        h.read();                               // uses up next_pg, which would otherwise be taken first
        h.message("disable_group 1");
        long t0 = h.thread.nanoTime();
        assertThat(h.read().status()).isEqualTo(BlkStatus.OK);
        assertThat((h.thread.nanoTime() - t0) / 1_000_000).isBetween(700L, 900L);
        assertThat(h.status()).as("a successful pg_init ends the bypass").startsWith("2 0 1 0 1 1 A ");
    }
}
