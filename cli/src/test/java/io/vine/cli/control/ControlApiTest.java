package io.vine.cli.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vine.cli.CliRun;
import io.vine.cli.config.TestConfigs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlApiTest {
    @TempDir
    static Path dir;
    static TwoNodes nodes;
    static String token;
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        nodes = new TwoNodes(dir);
        token = Tokens.read(nodes.alphaToken);
        nodes.sendFromAlpha("10.42.2.7");
        TwoNodes.await(() -> nodes.alpha.node().diagnostics().get("packets_sent") == 1, "one packet sent");
    }

    @AfterAll
    static void stop() {
        if (nodes != null) {
            nodes.close();
        }
    }

    static CliRun cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--control", nodes.control(), "--token-file", nodes.alphaToken.toString()));
        return CliRun.run(all.toArray(String[]::new));
    }

    static JsonNode json(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--format", "json"));
        CliRun r = cli(all.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        return JSON.readTree(r.out());
    }

    static HttpResponse<String> raw(String method, String path, String auth, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + nodes.control() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void statusHasIdentityAndSwarmCounters() throws Exception {
        JsonNode s = json("status");
        assertThat(s.get("peerId").asText()).isEqualTo(TestConfigs.SELF.toBase58());
        assertThat(s.get("state").asText()).isEqualTo("STARTED");
        assertThat(s.get("localPrefix").asText()).isEqualTo("10.42.1.0/24");
        assertThat(s.get("peers_total").asInt()).isEqualTo(1);
        assertThat(s.get("peers_connected").asInt()).isEqualTo(1);
        assertThat(s.get("handshakes_completed").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(s.get("handshakes_started").asLong()).isGreaterThanOrEqualTo(s.get("handshakes_completed").asLong());
        assertThat(s.get("connect_attempts").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(s.has("connect_failures")).isTrue();
        assertThat(s.get("backoff_skips").asLong()).isNotNegative();
        CliRun text = cli("status");
        assertThat(text.out()).contains("peers_connected        1").contains("state                  STARTED");
    }

    @Test
    void peersRoutesSessionsCounters() throws Exception {
        JsonNode peers = json("peers");
        assertThat(peers).hasSize(2);
        JsonNode beta = peers.get(1);
        assertThat(beta.get("peerId").asText()).isEqualTo(TwoNodes.beta().toBase58());
        assertThat(beta.get("connected").asBoolean()).isTrue();
        assertThat(beta.get("admitted").asBoolean()).isTrue();
        assertThat(beta.get("path").asText()).isEqualTo("direct");
        assertThat(peers.get(0).get("self").asBoolean()).isTrue();

        JsonNode routes = json("routes");
        assertThat(routes.findValuesAsText("prefix")).containsExactlyInAnyOrder("10.42.1.0/24", "10.42.2.0/24");

        JsonNode sessions = json("sessions");
        assertThat(sessions).hasSize(1);
        JsonNode s = sessions.get(0);
        assertThat(s.get("path").asText()).isEqualTo("direct");
        assertThat(s.get("via").isNull()).isTrue();
        assertThat(s.get("latencyMs").asDouble()).isPositive();
        assertThat(s.get("bytesOut").asLong()).isPositive();
        assertThat(s.get("bytesIn").asLong()).isPositive();
        assertThat(s.get("paths").get(0).get("kind").asText()).isEqualTo("direct");
        assertThat(s.get("paths").findValues("preferred")).filteredOn(JsonNode::asBoolean).hasSize(1);
        CliRun text = cli("sessions");
        assertThat(text.out()).startsWith("PEER").contains(TwoNodes.beta().toBase58()).contains("direct").contains(" ms");

        JsonNode counters = json("counters");
        for (String name : List.of("packets_sent", "packets_received", "route_misses", "session_failures",
                "fallback_transitions", "relay_usage")) {
            assertThat(counters.has(name)).as(name).isTrue();
        }
        assertThat(counters.get("packets_sent").asLong()).isEqualTo(1);
        assertThat(cli("counters").out()).contains("packets_sent").contains("relay_usage");

        JsonNode snapshot = json("snapshot");
        assertThat(snapshot.fieldNames()).toIterable().containsExactly("status", "peers", "routes", "sessions", "counters");
        assertThat(cli("snapshot").out()).contains("PREFIX").contains("COUNTER");
    }

    @Test
    void pingByPeerIdAndByOverlayAddress() throws Exception {
        JsonNode byId = json("ping", TwoNodes.beta().toBase58());
        assertThat(byId.get("peerId").asText()).isEqualTo(TwoNodes.beta().toBase58());
        assertThat(byId.get("rttMs").asDouble()).isPositive();
        JsonNode byAddress = json("ping", "10.42.2.99");
        assertThat(byAddress.get("peerId").asText()).isEqualTo(TwoNodes.beta().toBase58());
        assertThat(cli("ping", "10.42.2.99").out()).contains("rtt");

        CliRun noRoute = cli("ping", "10.99.0.1");
        assertThat(noRoute.exit()).isEqualTo(1);
        assertThat(noRoute.err()).contains("control API: 400: peer: no route to 10.99.0.1");
        CliRun self = cli("ping", "10.42.1.9");
        assertThat(self.exit()).isEqualTo(1);
        assertThat(self.err()).contains("control API: 400: peer: 10.42.1.9 is this node");
        CliRun stranger = cli("ping", TestConfigs.GAMMA.toBase58());
        assertThat(stranger.exit()).isEqualTo(1);
        assertThat(stranger.err()).contains("control API: 503: ").contains("no ready session");
        CliRun garbage = cli("ping", "not-a-peer");
        assertThat(garbage.exit()).isEqualTo(1);
        assertThat(garbage.err()).contains("expected: a peer id or an overlay IP address");
    }

    @Test
    void everyRequestNeedsTheToken() throws Exception {
        for (String path : List.of("/p2p/ping", "/p2p/status", "/p2p/peers", "/metrics", "/p2p/logs", "/nope")) {
            HttpResponse<String> none = raw("GET", path, null, null);
            assertThat(none.statusCode()).as(path).isEqualTo(401);
            assertThat(JSON.readTree(none.body()).get("error").asText()).startsWith("missing bearer token");
            HttpResponse<String> wrong = raw("GET", path, "Bearer " + token + "x", null);
            assertThat(wrong.statusCode()).as(path).isEqualTo(401);
            assertThat(JSON.readTree(wrong.body()).get("error").asText()).isEqualTo("wrong bearer token");
            assertThat(raw("GET", path, "Basic " + token, null).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> post = raw("POST", "/p2p/admin/hook", null, "{\"action\":\"reload\"}");
        assertThat(post.statusCode()).isEqualTo(401);
        assertThat(raw("GET", "/p2p/ping", "Bearer " + token, null).statusCode()).isEqualTo(200);

        Path wrongToken = dir.resolve("wrong.token");
        Files.writeString(wrongToken, "not-the-token\n");
        Files.setPosixFilePermissions(wrongToken, PosixFilePermissions.fromString("rw-------"));
        CliRun r = CliRun.run("status", "--control", nodes.control(), "--token-file", wrongToken.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("control API: 401: wrong bearer token");

        Files.setPosixFilePermissions(wrongToken, PosixFilePermissions.fromString("rw-r--r--"));
        CliRun open = CliRun.run("status", "--control", nodes.control(), "--token-file", wrongToken.toString());
        assertThat(open.exit()).isEqualTo(1);
        assertThat(open.err()).contains("token file permissions rw-r--r--");

        CliRun missing = CliRun.run("status", "--control", nodes.control(), "--token-file", dir.resolve("none").toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("does not exist");
    }

    @Test
    void badRequestsAreClearErrors() throws Exception {
        String auth = "Bearer " + token;
        HttpResponse<String> malformed = raw("POST", "/p2p/connect", auth, "{\"address\": ");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(malformed.body()).get("error").asText()).startsWith("malformed JSON");
        assertThat(raw("POST", "/p2p/connect", auth, "[1]").body()).contains("expected a JSON object");
        assertThat(raw("POST", "/p2p/connect", auth, "{\"address\": 5}").body()).contains("address: 5 (expected: a string)");
        assertThat(raw("POST", "/p2p/connect", auth, "{\"address\": \"/ip4/1.2.3.4/tcpx/1\"}").body()).contains("is not a multiaddr");
        assertThat(raw("POST", "/p2p/connect", auth, "{\"address\": \"/ip4/127.0.0.1/tcp/1\"}").body())
                .contains("expected: ending in /p2p/<peer id>");
        assertThat(raw("POST", "/p2p/connect", auth, "{\"peerId\": \"zzz\"}").statusCode()).isEqualTo(400);
        assertThat(raw("POST", "/p2p/admin/hook", auth, "{\"action\": \"explode\"}").body())
                .contains("expected: snapshot, reload or cleanup");
        assertThat(raw("POST", "/p2p/admin/hook", auth, "x".repeat(ControlServer.MAX_BODY + 1)).statusCode()).isEqualTo(413);
        assertThat(raw("GET", "/p2p/nothing", auth, null).statusCode()).isEqualTo(404);
        assertThat(raw("POST", "/p2p/status", auth, "{}").statusCode()).isEqualTo(405);
        assertThat(raw("GET", "/p2p/logs?lines=-1", auth, null).statusCode()).isEqualTo(400);

        CliRun connect = cli("connect", "/ip4/127.0.0.1/tcp/1/p2p/" + TestConfigs.GAMMA);
        assertThat(connect.exit()).isEqualTo(1);
        assertThat(connect.err()).startsWith("error: control API: ");
    }

    @Test
    void handshakesAndBackoffSkipsAreTheSwarmsOwnCounts() throws Exception {
        // a peer with one address nobody listens on: the first dial fails before any handshake and
        // backs the peer off; the second is skipped without trying
        io.vine.core.multiaddr.Multiaddr nowhere = io.vine.core.multiaddr.Multiaddr.parse("/ip4/127.0.0.1/tcp/1");
        nodes.alpha.node().swarm().peerStore().addAddresses(TestConfigs.GAMMA, List.of(nowhere),
                io.vine.core.PeerStore.DEFAULT_ADDRESS_TTL);
        JsonNode before = json("status");
        String auth = "Bearer " + token;
        String body = "{\"peerId\": \"" + TestConfigs.GAMMA + "\"}";
        HttpResponse<String> first = raw("POST", "/p2p/connect", auth, body);
        assertThat(first.statusCode()).isEqualTo(500);
        assertThat(first.body()).contains("all addresses of " + TestConfigs.GAMMA + " failed");
        HttpResponse<String> second = raw("POST", "/p2p/connect", auth, body);
        assertThat(second.body()).contains("backed off after 1 failed attempts");
        JsonNode after = json("status");
        assertThat(after.get("backoff_skips").asLong() - before.get("backoff_skips").asLong()).isEqualTo(1);
        assertThat(after.get("connect_failures").asLong() - before.get("connect_failures").asLong()).isEqualTo(1);
        assertThat(after.get("handshakes_started").asLong()).as("no raw connection, no handshake")
                .isEqualTo(before.get("handshakes_started").asLong());

        // a new connection: one handshake started and completed on each side
        io.vine.core.multiaddr.Multiaddr beta = nodes.beta.node().swarm().listenAddresses().get(0).withPeerId(TwoNodes.beta());
        io.vine.swarm.SwarmMetrics betaBefore = nodes.beta.node().swarm().metrics();
        io.vine.core.Connection extra = nodes.alpha.node().swarm().dial(beta, true).get(20, java.util.concurrent.TimeUnit.SECONDS);
        try {
            JsonNode connected = json("status");
            assertThat(connected.get("handshakes_started").asLong() - after.get("handshakes_started").asLong()).isEqualTo(1);
            assertThat(connected.get("handshakes_completed").asLong() - after.get("handshakes_completed").asLong()).isEqualTo(1);
            TwoNodes.await(() -> nodes.beta.node().swarm().metrics().handshakesCompleted() == betaBefore.handshakesCompleted() + 1,
                    "beta completes the inbound handshake");
            assertThat(nodes.beta.node().swarm().metrics().handshakesStarted()).isEqualTo(betaBefore.handshakesStarted() + 1);
            assertThat(raw("GET", "/metrics", auth, null).body()).contains("vine_swarm_backoff_skips_total "
                    + connected.get("backoff_skips").asLong() + "\n");
        } finally {
            extra.close();
        }
    }

    @Test
    void connectAndAdminHooks() throws Exception {
        String betaAddress = nodes.beta.node().swarm().listenAddresses().get(0).withPeerId(TwoNodes.beta()).toString();
        JsonNode c = json("connect", betaAddress);
        assertThat(c.get("peerId").asText()).isEqualTo(TwoNodes.beta().toBase58());
        assertThat(c.get("path").asText()).isEqualTo("direct");

        String auth = "Bearer " + token;
        HttpResponse<String> snap = raw("POST", "/p2p/admin/hook", auth, "{\"action\":\"snapshot\"}");
        assertThat(snap.statusCode()).isEqualTo(200);
        assertThat(nodes.alphaLog).anyMatch(l -> l.contains("snapshot {\"status\""));
        HttpResponse<String> reload = raw("POST", "/p2p/admin/hook", auth, "{\"action\":\"reload\"}");
        assertThat(JSON.readTree(reload.body()).get("detail").asText()).isEqualTo("reload: config unchanged");
        HttpResponse<String> cleanup = raw("POST", "/p2p/admin/hook", auth,
                "{\"action\":\"cleanup\",\"peerId\":\"" + TwoNodes.beta() + "\"}");
        assertThat(JSON.readTree(cleanup.body()).get("detail").asText()).isEqualTo("closed 0 stale paths");

        JsonNode logs = json("logs", "--lines", "500");
        assertThat(logs.get("lines").toString()).contains("control API on").contains("peer " + TwoNodes.beta() + " admitted");
    }

    @Test
    void logsFollowStreamsNewLines() throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + nodes.control() + "/p2p/logs?follow=true&lines=0"))
                .header("Authorization", "Bearer " + token).build();
        HttpResponse<java.util.stream.Stream<String>> r = HTTP.send(req, HttpResponse.BodyHandlers.ofLines());
        assertThat(r.statusCode()).isEqualTo(200);
        nodes.alpha.logs().log("marker-line-42");
        assertThat(r.body().filter(l -> l.contains("marker-line-42")).findFirst()).isPresent();
        r.body().close();
    }

    @Test
    void metricsInPrometheusFormat() throws Exception {
        HttpResponse<String> m = raw("GET", "/metrics", "Bearer " + token, null);
        assertThat(m.statusCode()).isEqualTo(200);
        assertThat(m.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(m.body()).contains("# TYPE vine_packets_sent_total counter\nvine_packets_sent_total 1\n")
                .contains("vine_relay_usage_total 0").contains("vine_swarm_handshakes_completed_total")
                .contains("# TYPE vine_peers_connected gauge\nvine_peers_connected 1\n");
        for (String line : m.body().split("\n")) {
            assertThat(line).matches("# (HELP|TYPE) .*|[a-z_]+(\\{[^}]*\\})? -?[0-9]+");
        }
    }

    @Test
    void unreachableControlApiIsAClearError() {
        CliRun r = CliRun.run("status", "--control", "127.0.0.1:1", "--token-file", nodes.alphaToken.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("cannot reach the control API at http://127.0.0.1:1 (is vine up running?)");
    }
}
