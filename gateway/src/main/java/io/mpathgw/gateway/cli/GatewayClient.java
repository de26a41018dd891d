package io.mpathgw.gateway.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * The gateway's REST API (/api/v1) as the CLI uses it: HTTP Basic, JSON through Jackson into the model records.
 * Every failure becomes one {@link CliException} line: unreachable (and at which URL), wrong credentials, or the
 * server's own {@code {"error": …}} text.
 */
final class GatewayClient {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

    private final ClientOptions options;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private final String authorization;

    GatewayClient(ClientOptions options) {
        this.options = options;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                (options.user() + ":" + options.password()).getBytes(StandardCharsets.UTF_8));
    }

    <T> T get(String path, TypeReference<T> type) {
        return parse("GET", path, send(request(path).GET().header("Accept", "application/json"), "GET", path), type);
    }

    String getText(String path) {
        return send(request(path).GET().header("Accept", "text/plain"), "GET", path);
    }

    /** POST without a body; returns the JSON answer (null if none). */
    JsonNode post(String path) {
        return tree("POST", path, send(request(path).POST(HttpRequest.BodyPublishers.noBody()), "POST", path));
    }

    JsonNode post(String path, Object body) {
        String text;
        try {
            text = json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        HttpRequest.Builder b = request(path).POST(HttpRequest.BodyPublishers.ofString(text))
                .header("Content-Type", "application/json");
        return tree("POST", path, send(b, "POST", path));
    }

    /** One path segment, percent-encoded (a map name or a dev). */
    static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(options.url() + "/api/v1" + path))
                .timeout(REQUEST_TIMEOUT).header("Authorization", authorization);
    }

    private String send(HttpRequest.Builder b, String method, String path) {
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            throw CliException.refused("gateway unreachable at " + options.url() + " (no connection within "
                    + CONNECT_TIMEOUT.toSeconds() + " s)" + hint());
        } catch (ConnectException e) {
            throw CliException.refused("gateway unreachable at " + options.url() + " (connection refused)" + hint());
        } catch (HttpTimeoutException e) {
            throw CliException.refused("gateway at " + options.url() + " did not answer " + method + " /api/v1" + path
                    + " within " + REQUEST_TIMEOUT.toSeconds() + " s");
        } catch (IOException e) {
            throw CliException.refused("gateway unreachable at " + options.url() + " (" + e + ")" + hint());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.refused("interrupted");
        }
        if (r.statusCode() / 100 == 2) return r.body();
        throw refusal(r, method, path);
    }

    private static String hint() {
        return "; is 'mpathgw serve' running? (--url / MPATHGW_URL)";
    }

    private CliException refusal(HttpResponse<String> r, String method, String path) {
        boolean toLoginPage = r.statusCode() / 100 == 3
                && r.headers().firstValue("Location").map(l -> l.contains("login")).orElse(false);
        if (r.statusCode() == 401 || toLoginPage)
            return CliException.refused("wrong credentials for user '" + options.user() + "' at " + options.url()
                    + " (--user/--password or MPATHGW_USER/MPATHGW_PASSWORD)");
        if (r.statusCode() == 403)
            return CliException.refused("user '" + options.user() + "' may not " + method + " /api/v1" + path
                    + " (403 forbidden)");
        String error = errorText(r.body());
        if (error != null) return CliException.refused(error);
        String body = r.body() == null ? "" : r.body().strip();
        int nl = body.indexOf('\n');
        return CliException.refused("HTTP " + r.statusCode() + " from " + method + " " + options.url() + "/api/v1"
                + path + (body.isEmpty() ? "" : ": " + (nl < 0 ? body : body.substring(0, nl))));
    }

    private String errorText(String body) {
        try {
            JsonNode n = json.readTree(body);
            return n != null && n.hasNonNull("error") ? n.get("error").asText() : null;
        } catch (IOException | RuntimeException e) {
            return null;                        // not our JSON (a proxy's page): the caller shows status and body
        }
    }

    private <T> T parse(String method, String path, String body, TypeReference<T> type) {
        try {
            return json.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw CliException.refused("unexpected answer to " + method + " /api/v1" + path + " from "
                    + options.url() + ": " + e.getOriginalMessage());
        }
    }

    private JsonNode tree(String method, String path, String body) {
        if (body == null || body.isBlank()) return null;
        return parse(method, path, body, new TypeReference<JsonNode>() { });
    }
}
