package io.mpathgw.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.mpathgw.gateway.model.GroupView;
import io.mpathgw.gateway.model.MapView;
import io.mpathgw.gateway.model.PathView;
import io.mpathgw.gateway.model.SessionView;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The REST API's contract served by a JDK HttpServer on 127.0.0.1 (ephemeral port) from real model records
 * serialized by Jackson, for the client half of the CLI until the gateway's own API runs in the tests. It keeps the
 * state an action changes (failed paths), records every POST, and answers errors as the API does ({"error": …}).
 */
final class FakeGateway implements AutoCloseable {

    static final String USER = "admin", PASSWORD = "s3cret";

    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final List<MapView> maps;
    private final List<PathView> orphans;
    private final Set<String> failed = ConcurrentHashMap.newKeySet();
    final List<String> posts = new CopyOnWriteArrayList<>();

    FakeGateway(List<MapView> maps, List<PathView> orphans) throws IOException {
        this.maps = maps;
        this.orphans = orphans;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            if (!authorized(x)) {
                x.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"Quarkus\"");
                send(x, 401, "text/plain", "");
                return;
            }
            String path = x.getRequestURI().getRawPath().substring("/api/v1".length());
            String[] s = path.substring(1).split("/");
            if (x.getRequestMethod().equals("GET")) get(x, path, s);
            else post(x, path, s, new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private void get(HttpExchange x, String path, String[] s) throws IOException {
        if (path.equals("/maps")) { sendJson(x, 200, views()); return; }
        if (path.equals("/paths")) { sendJson(x, 200, paths()); return; }
        if (path.equals("/config")) { send(x, 200, "text/plain", "defaults {\n\tpolling_interval 5\n}\n"); return; }
        if (path.equals("/sessions")) { sendJson(x, 200, sessions()); return; }
        if (path.startsWith("/maps/crash")) { send(x, 500, "text/html", "<html>Internal\nError</html>"); return; }
        if (s[0].equals("maps") && s.length >= 2) {
            MapView m = view(s[1]);
            if (m == null) { error(x, 404, "no map named '" + s[1] + "'"); return; }
            if (s.length == 2) sendJson(x, 200, m);
            else if (s[2].equals("table")) send(x, 200, "text/plain", m.table() + "\n");
            else if (s[2].equals("status")) send(x, 200, "text/plain", m.status() + "\n");
            else error(x, 404, "no such resource " + path);
            return;
        }
        error(x, 404, "no such resource " + path);
    }

    private void post(HttpExchange x, String path, String[] s, String body) throws IOException {
        posts.add(path + (body.isEmpty() ? "" : " " + body));
        if (s[0].equals("paths") && s.length == 3) {
            boolean known = paths().stream().anyMatch(p -> p.dev().equals(s[1]) && !p.map().isEmpty());
            if (!known) { error(x, 404, "no path named '" + s[1] + "'"); return; }
            if (s[2].equals("fail")) failed.add(s[1]);
            else failed.remove(s[1]);
        } else if (s[0].equals("maps") && s.length >= 3) {
            if (view(s[1]) == null) { error(x, 404, "no map named '" + s[1] + "'"); return; }
            if (s[2].equals("message")) {
                JsonNode m = json.readTree(body);
                String text = m.get("message").asText();
                if (text.equals("bogus")) {
                    error(x, 400, "device-mapper: message ioctl on " + s[1] + " failed: Invalid argument");
                    return;
                }
                sendJson(x, 200, Map.of("output", text.equals("hello") ? "hello back" : ""));
                return;
            }
            if (s[2].equals("groups") && Integer.parseInt(s[3]) > view(s[1]).groups().size()) {
                error(x, 400, "device-mapper: multipath: invalid PG number supplied to switch_group");
                return;
            }
        }
        sendJson(x, 200, Map.of("result", "ok"));
    }

    /** The maps as they stand: failed paths are failed in the path views and in the status line (A/F). */
    List<MapView> views() {
        List<MapView> out = new ArrayList<>();
        for (MapView m : maps) out.add(view(m));
        return out;
    }

    private MapView view(String name) {
        return maps.stream().filter(m -> m.name().equals(name)).findFirst().map(this::view).orElse(null);
    }

    private MapView view(MapView m) {
        List<GroupView> groups = new ArrayList<>();
        StringBuilder status = new StringBuilder("0 " + m.sizeSectors() + " multipath 2 0 0 0 " + m.groups().size() + " 1");
        int active = 0;
        for (GroupView g : m.groups()) {
            List<PathView> paths = new ArrayList<>();
            status.append(' ').append(g.status().substring(0, 1).toUpperCase()).append(" 0 ").append(g.paths().size())
                    .append(" 0");
            for (PathView p : g.paths()) {
                PathView v = failed.contains(p.dev()) ? failedCopy(p) : p;
                if (v.dmState().equals("active")) active++;
                status.append(' ').append(v.devT()).append(v.dmState().equals("active") ? " A 0" : " F 1");
                paths.add(v);
            }
            groups.add(new GroupView(g.number(), g.selector(), g.priority(), g.status(), paths));
        }
        return new MapView(m.name(), m.wwid(), m.dmName(), m.vendor(), m.product(), m.revision(), m.sizeSectors(),
                m.blockSize(), m.features(), m.hwHandler(), m.writeProtect(), m.table(), status.toString(),
                m.queueing(), m.health(), m.healthReason(), m.selector(), m.failback(), m.noPathRetry(), active,
                m.nrPaths(), groups, m.counters());
    }

    private static PathView failedCopy(PathView p) {
        return new PathView(p.map(), p.dev(), p.devT(), p.hcil(), p.portal(), p.target(), p.isid(), p.tsih(), p.lun(),
                p.wwid(), "failed", p.checkerState(), p.onlineState(), p.checker(), p.checkTick(),
                p.checkInterval(), p.prioritizer(), p.priority(), p.aluaTpg(), p.aluaState(), p.group(), true, false,
                p.lastChange(), "multipathd fail path",
                p.counters());
    }

    private List<PathView> paths() {
        List<PathView> all = new ArrayList<>();
        for (MapView m : views()) m.groups().forEach(g -> all.addAll(g.paths()));
        all.addAll(orphans);
        return all;
    }

    private List<SessionView> sessions() {
        List<SessionView> out = new ArrayList<>();
        for (PathView p : paths())
            if (!p.map().isEmpty() && out.stream().noneMatch(s -> s.portal().equals(p.portal())))
                out.add(new SessionView(p.portal(), p.target(), p.isid(), p.tsih(), "LOGGED_IN", "", 0, List.of(p.dev())));
        return out;
    }

    private boolean authorized(HttpExchange x) {
        String expected = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        return expected.equals(x.getRequestHeaders().getFirst("Authorization"));
    }

    private void error(HttpExchange x, int status, String message) throws IOException {
        sendJson(x, status, Map.of("error", message));
    }

    private void sendJson(HttpExchange x, int status, Object body) throws IOException {
        send(x, status, "application/json", json.writeValueAsString(body));
    }

    private static void send(HttpExchange x, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", type);
        x.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) x.getResponseBody().write(bytes);
    }
}
