package io.mpathgw.gateway.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A text/event-stream reader for tests of {@code GET /api/v1/stream}, as the admin: each event (and each comment, as
 * event "comment") lands in a queue with the time it was read. Close it to end the stream.
 */
public final class SseClient implements AutoCloseable {

    /** One SSE event: its name ("message" when none), id, data lines joined, ms since the stream opened. */
    public record Event(String event, String id, String data, long atMillis) {
    }

    private final HttpResponse<InputStream> response;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final long t0 = System.nanoTime();

    public SseClient(URI uri) throws IOException, InterruptedException {
        String auth = Base64.getEncoder().encodeToString((Admin.USER + ":" + Admin.PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).header("Authorization", "Basic " + auth)
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
        Thread reader = new Thread(this::read, "sse-reader");
        reader.setDaemon(true);
        reader.start();
    }

    public int statusCode() {
        return response.statusCode();
    }

    public String contentType() {
        return response.headers().firstValue("content-type").orElse("");
    }

    /** The next event, or null after {@code timeout}. */
    public Event next(Duration timeout) throws InterruptedException {
        return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The first event that matches, skipping others; null when none came within {@code timeout}. */
    public Event await(Predicate<Event> match, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        for (long left; (left = end - System.nanoTime()) > 0; ) {
            Event e = events.poll(left, TimeUnit.NANOSECONDS);
            if (e != null && match.test(e)) return e;
        }
        return null;
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String event = "message", id = null;
            StringBuilder data = new StringBuilder();
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith(":")) {
                    events.add(new Event("comment", null, line.substring(1).strip(), millis()));
                } else if (line.isEmpty()) {
                    if (!data.isEmpty()) events.add(new Event(event, id, data.toString(), millis()));
                    event = "message";
                    id = null;
                    data.setLength(0);
                } else if (line.startsWith("event:")) event = line.substring(6).strip();
                else if (line.startsWith("id:")) id = line.substring(3).strip();
                else if (line.startsWith("data:")) data.append(line.substring(5).strip());
            }
        } catch (IOException e) {
            // closed
        }
    }

    private long millis() {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    @Override
    public void close() throws IOException {
        response.body().close();
    }
}
