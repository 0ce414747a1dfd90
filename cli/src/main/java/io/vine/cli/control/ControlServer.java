package io.vine.cli.control;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.peer.PeerId;
import io.vine.swarm.Swarm;
import io.vine.tun.overlay.OverlayException;
import io.vine.tun.overlay.VineNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The node's control API: HTTP/1.1 on a loopback address by default, JSON bodies, every request
 * authenticated by {@code Authorization: Bearer <token>}. Routes: {@code GET /p2p/ping[?peer=]},
 * {@code /p2p/status}, {@code /p2p/peers}, {@code /p2p/routes}, {@code /p2p/sessions},
 * {@code /p2p/counters}, {@code /p2p/snapshot}, {@code /p2p/logs[?lines=N][&follow=true]},
 * {@code POST /p2p/connect} ({@code {"address": multiaddr}} or {@code {"peerId": id}}),
 * {@code POST /p2p/admin/hook} ({@code {"action": "snapshot"|"reload"|"cleanup", "peerId": id}}) and
 * {@code GET /metrics} (Prometheus text). Errors are {@code {"error": "..."}} with 400 (bad input),
 * 401 (token), 404, 405, 413, 503 (node not running) or 504 (timeout).
 */
public final class ControlServer implements AutoCloseable {
    /** Request bodies larger than this are refused (413). */
    public static final int MAX_BODY = 64 * 1024;
    private static final int MAX_FOLLOWERS = 4;
    private static final Duration DIAL_TIMEOUT = Duration.ofSeconds(15);

    private final HttpServer http;
    private final ExecutorService executor;
    private final byte[] token;
    private final NodeView view;
    private final LogBuffer logs;
    private final Supplier<String> reload;
    private final Map<String, Route> routes = new HashMap<>();
    private final java.util.concurrent.Semaphore followers = new java.util.concurrent.Semaphore(MAX_FOLLOWERS);
    private volatile boolean closing;

    private interface Route {
        Object handle(HttpExchange ex, Map<String, String> query) throws Exception;
    }

    private ControlServer(HttpServer http, String token, NodeView view, LogBuffer logs, Supplier<String> reload) {
        this.http = http;
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.view = view;
        this.logs = logs;
        this.reload = reload;
        this.executor = Executors.newFixedThreadPool(MAX_FOLLOWERS + 4, r -> {
            Thread t = new Thread(r, "vine-control");
            t.setDaemon(true);
            return t;
        });
        routes.put("GET /p2p/ping", (ex, q) -> q.containsKey("peer") ? pingPeer(q.get("peer")) : view.ping());
        routes.put("GET /p2p/status", (ex, q) -> view.status());
        routes.put("GET /p2p/peers", (ex, q) -> view.peers());
        routes.put("GET /p2p/routes", (ex, q) -> view.routes());
        routes.put("GET /p2p/sessions", (ex, q) -> view.sessions());
        routes.put("GET /p2p/counters", (ex, q) -> view.counters());
        routes.put("GET /p2p/snapshot", (ex, q) -> view.snapshot());
        routes.put("GET /p2p/logs", this::logs);
        routes.put("POST /p2p/connect", (ex, q) -> connect(Requests.body(ex)));
        routes.put("POST /p2p/admin/hook", (ex, q) -> hook(Requests.body(ex)));
        routes.put("GET /metrics", (ex, q) -> Metrics.render(view));
        http.createContext("/", this::serve);
        http.setExecutor(executor);
    }

    /**
     * Starts serving {@code node} on {@code listen} (port 0: any free port).
     *
     * @param name the node's label (config {@code [node] name})
     * @param reload what {@code POST /p2p/admin/hook {"action":"reload"}} and SIGHUP run; returns what it did
     */
    public static ControlServer start(InetSocketAddress listen, String token, String name, VineNode node, SwarmCounters counters,
            LogBuffer logs, Supplier<String> reload) throws IOException {
        requireNonNull(listen, "listen");
        requireNonNull(token, "token");
        if (token.isEmpty()) {
            throw new IllegalArgumentException("token: empty (expected: a secret)");
        }
        HttpServer http = HttpServer.create(listen, 16);
        ControlServer s = new ControlServer(http, token, new NodeView(name, node, counters), requireNonNull(logs, "logs"),
                requireNonNull(reload, "reload"));
        http.start();
        return s;
    }

    /** The bound address (the port chosen when 0 was asked for). */
    public InetSocketAddress address() {
        return http.getAddress();
    }

    private void serve(HttpExchange ex) throws IOException {
        try (ex) {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !auth.startsWith("Bearer ")) {
                ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                error(ex, 401, "missing bearer token (expected: Authorization: Bearer <token from the token file>)");
                return;
            }
            if (!MessageDigest.isEqual(token, auth.substring(7).strip().getBytes(StandardCharsets.UTF_8))) {
                ex.getResponseHeaders().set("WWW-Authenticate", "Bearer error=\"invalid_token\"");
                error(ex, 401, "wrong bearer token");
                return;
            }
            String path = ex.getRequestURI().getPath();
            Route route = routes.get(ex.getRequestMethod() + " " + path);
            if (route == null) {
                boolean known = routes.keySet().stream().anyMatch(k -> k.endsWith(" " + path));
                error(ex, known ? 405 : 404, known ? "method " + ex.getRequestMethod() + " not allowed on " + path : "no route " + path);
                return;
            }
            Object result;
            try {
                result = route.handle(ex, Requests.query(ex.getRequestURI().getRawQuery()));
            } catch (BadRequest e) {
                error(ex, e.status, e.getMessage());
                return;
            } catch (IllegalArgumentException e) {
                error(ex, 400, e.getMessage());
                return;
            } catch (TimeoutException e) {
                error(ex, 504, "timed out");
                return;
            } catch (OverlayException e) {
                error(ex, 503, e.getMessage());
                return;
            } catch (Exception e) {
                Throwable c = e instanceof java.util.concurrent.ExecutionException || e instanceof java.util.concurrent.CompletionException
                        ? e.getCause() : e;
                error(ex, c instanceof TimeoutException ? 504 : c instanceof OverlayException ? 503 : 500, String.valueOf(c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage()));
                return;
            }
            if (result == null) {
                return; // the route wrote its own response
            }
            if (result instanceof String text) {
                send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
            } else {
                send(ex, 200, "application/json", NodeView.JSON.writeValueAsBytes(result));
            }
        }
    }

    private ObjectNode pingPeer(String text) throws Exception {
        PeerId peer = view.resolvePeer(text);
        if (peer.equals(view.node().localPeer())) {
            throw new IllegalArgumentException("peer: " + text + " is this node");
        }
        Duration rtt = view.node().ping(peer).get(12, TimeUnit.SECONDS);
        return NodeView.JSON.createObjectNode().put("peerId", peer.toBase58()).put("rttMs", rtt.toNanos() / 1e6);
    }

    private ObjectNode connect(JsonNode body) throws Exception {
        Swarm swarm = view.node().swarm();
        var future = body.hasNonNull("address")
                ? swarm.dial(parseAddress(Requests.text(body, "address")))
                : swarm.dial(peerId(Requests.text(body, "peerId")), false);
        var c = future.get(DIAL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        return NodeView.JSON.createObjectNode().put("peerId", c.remotePeer().toBase58())
                .put("remoteAddress", c.remoteAddress().toString()).put("connectionId", c.id())
                .put("path", c.remoteAddress().toString().contains("/p2p-circuit") ? "relay" : "direct");
    }

    private static PeerId peerId(String text) {
        try {
            return PeerId.parse(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("peerId: '" + text + "' is not a peer id (" + e.getMessage() + ")");
        }
    }

    private static Multiaddr parseAddress(String text) {
        Multiaddr a;
        try {
            a = Multiaddr.parse(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("address: '" + text + "' is not a multiaddr (" + e.getMessage() + ")");
        }
        if (a.peerId().isEmpty()) {
            throw new IllegalArgumentException("address: '" + text + "' (expected: ending in /p2p/<peer id>)");
        }
        return a;
    }

    private ObjectNode hook(JsonNode body) throws Exception {
        String action = Requests.text(body, "action");
        ObjectNode o = NodeView.JSON.createObjectNode().put("action", action);
        switch (action) {
            case "snapshot" -> {
                logs.log("snapshot " + NodeView.JSON.writeValueAsString(view.snapshot()));
                o.put("detail", "snapshot written to the log");
            }
            case "reload" -> o.put("detail", reload.get());
            case "cleanup" -> {
                PeerId peer = peerId(Requests.text(body, "peerId"));
                o.put("detail", "closed " + view.node().cleanupStaleSession(peer).get(10, TimeUnit.SECONDS) + " stale paths");
            }
            default -> throw new IllegalArgumentException("action: '" + action + "' (expected: snapshot, reload or cleanup)");
        }
        return o;
    }

    private Object logs(HttpExchange ex, Map<String, String> q) throws IOException {
        int lines = Requests.intParam(q, "lines", 100, 0, LogBuffer.DEFAULT_CAPACITY);
        if (!Boolean.parseBoolean(q.getOrDefault("follow", "false"))) {
            ObjectNode o = NodeView.JSON.createObjectNode();
            var a = o.putArray("lines");
            logs.tail(lines).forEach(a::add);
            return o;
        }
        if (!followers.tryAcquire()) {
            throw new BadRequest(503, "too many log followers (at most " + MAX_FOLLOWERS + ")");
        }
        try {
            LogStream.follow(ex, logs, lines, () -> closing);
        } finally {
            followers.release();
        }
        return null;
    }

    private static void error(HttpExchange ex, int status, String message) throws IOException {
        send(ex, status, "application/json", NodeView.JSON.writeValueAsBytes(NodeView.JSON.createObjectNode().put("error", message)));
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Server", "vine");
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            ex.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        closing = true;
        http.stop(0);
        executor.shutdownNow();
    }
}
