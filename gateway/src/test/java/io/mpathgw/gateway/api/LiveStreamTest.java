package io.mpathgw.gateway.api;

import io.mpathgw.gateway.testing.FixedGatewayControl;
import io.mpathgw.gateway.testing.FixedGatewayProfile;
import io.mpathgw.gateway.testing.SseClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /api/v1/stream}: maps at once and then throttled, one SSE event per gateway event, heartbeat comments. */
@QuarkusTest
@TestProfile(FixedGatewayProfile.class)
class LiveStreamTest {

    @Inject
    FixedGatewayControl control;
    @Inject
    LiveStream stream;
    @TestHTTPResource("/api/v1/stream")
    URI uri;

    @Test
    void mapsAtOnceThenEventsAsTheyHappen() throws Exception {
        try (SseClient sse = new SseClient(uri)) {
            assertThat(sse.statusCode()).isEqualTo(200);
            assertThat(sse.contentType()).startsWith("text/event-stream");
            SseClient.Event first = sse.await(e -> !e.event().equals("comment"), Duration.ofSeconds(5));
            assertThat(first).isNotNull();
            assertThat(first.event()).isEqualTo("maps");
            assertThat(first.data()).startsWith("[{\"name\":\"mpatha\"").contains("\"groups\":[");

            var e = control.raise("PATH_DOWN", "sdc", "tur checker reports path is down");
            SseClient.Event ev = sse.await(x -> x.event().equals("event"), Duration.ofSeconds(3));
            assertThat(ev).as("the event within 3 s").isNotNull();
            assertThat(ev.id()).isEqualTo(Long.toString(e.seq()));
            assertThat(ev.data()).contains("\"kind\":\"PATH_DOWN\"", "\"path\":\"sdc\"",
                    "\"message\":\"tur checker reports path is down\"");

            // unchanged maps: the next maps event comes after about 2 s, not 4 times a second
            SseClient.Event again = sse.await(x -> x.event().equals("maps"), Duration.ofSeconds(4));
            assertThat(again).as("maps again within 4 s").isNotNull();
            assertThat(again.atMillis() - first.atMillis()).isBetween(1000L, 3500L);
            SseClient.Event beat = sse.await(x -> x.event().equals("comment"), Duration.ofSeconds(3));
            assertThat(beat).as("a heartbeat comment (every 1 s in this profile)").isNotNull();
            assertThat(beat.data()).isEqualTo("heartbeat");
        }
        for (int i = 0; i < 50 && stream.clientCount() > 0; i++) Thread.sleep(100);
        assertThat(stream.clientCount()).as("the closed client is dropped").isZero();
    }
}
