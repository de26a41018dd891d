package io.mpathgw.gateway.failover;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

/**
 * The slow soak (tag "slow", left out of {@code mvn verify}): portal 0 of the active group flaps, up 1-3 s and down
 * 1-3 s (seeded), for {@code -Dfailover.soak.seconds} (60 by default) under the verifying QD-16 stream through the
 * NBD export; no write fails, the stream never stops for a second, every block reads back as acknowledged.
 */
@Tag("slow")
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class FailoverSoakTest {

    final FailoverTest scenario = new FailoverTest();

    @Test
    void portalFlapsForAMinute() throws Exception {
        scenario.flap(Integer.getInteger("failover.soak.seconds", 60));
    }

    @AfterEach
    void close() {
        scenario.close();
    }
}
