package io.mpathgw.gateway.api;

import io.mpathgw.gateway.testing.Admin;
import io.mpathgw.gateway.testing.FixedGatewayControl;
import io.mpathgw.gateway.testing.FixedGatewayProfile;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

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

    /** One SSE event: its name, id and data lines joined. */
    record Sse(String event, String id, String data, long atMillis) {
    }

    @Test
    void mapsAtOnceThenEventsAsTheyHappen() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        String auth = Base64.getEncoder().encodeToString((Admin.USER + ":" + Admin.PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpResponse<java.io.InputStream> r = client.send(HttpRequest.newBuilder(uri).header("Authorization", "Basic " + auth)
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
        BlockingQueue<Sse> got = new LinkedBlockingQueue<>();
        long t0 = System.nanoTime();
        Thread reader = new Thread(() -> read(r, got, t0), "sse-reader");
        reader.setDaemon(true);
        reader.start();
        try {
            Sse first = got.poll(5, TimeUnit.SECONDS);
            assertThat(first).isNotNull();
            assertThat(first.event()).isEqualTo("maps");
            assertThat(first.data()).startsWith("[{\"name\":\"mpatha\"").contains("\"groups\":[");

            var e = control.raise("PATH_DOWN", "sdc", "tur checker reports path is down");
            List<Sse> seen = new ArrayList<>();
            Sse next;
            do {
                next = got.poll(3, TimeUnit.SECONDS);
                assertThat(next).as("an event before the timeout; saw " + seen).isNotNull();
                seen.add(next);
            } while (!next.event().equals("event"));
            assertThat(next.id()).isEqualTo(Long.toString(e.seq()));
            assertThat(next.data()).contains("\"kind\":\"PATH_DOWN\"", "\"path\":\"sdc\"",
                    "\"message\":\"tur checker reports path is down\"");

            // unchanged maps: the next maps event comes after about 2 s, not 4 times a second
            Sse again;
            do {
                again = got.poll(4, TimeUnit.SECONDS);
                assertThat(again).as("maps again within 4 s").isNotNull();
            } while (!again.event().equals("maps"));
            assertThat(again.atMillis() - first.atMillis()).isBetween(1000L, 3500L);
            Sse beat;
            do {
                beat = got.poll(3, TimeUnit.SECONDS);
                assertThat(beat).as("a heartbeat comment (every 1 s in this profile)").isNotNull();
            } while (!beat.event().equals("comment"));
            assertThat(beat.data()).isEqualTo("heartbeat");
        } finally {
            r.body().close();
        }
        for (int i = 0; i < 50 && stream.clientCount() > 0; i++) Thread.sleep(100);
        assertThat(stream.clientCount()).as("the closed client is dropped").isZero();
    }

    private static void read(HttpResponse<java.io.InputStream> r, BlockingQueue<Sse> out, long t0) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            String event = "message", id = null;
            StringBuilder data = new StringBuilder();
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith(":")) {
                    out.add(new Sse("comment", null, line.substring(1).strip(), (System.nanoTime() - t0) / 1_000_000));
                } else if (line.isEmpty()) {
                    if (!data.isEmpty())
                        out.add(new Sse(event, id, data.toString(), (System.nanoTime() - t0) / 1_000_000));
                    event = "message";
                    id = null;
                    data.setLength(0);
                } else if (line.startsWith("event:")) event = line.substring(6).strip();
                else if (line.startsWith("id:")) id = line.substring(3).strip();
                else if (line.startsWith("data:")) data.append(line.substring(5).strip());
            }
        } catch (java.io.IOException e) {
            // closed by the test
        }
    }
}
