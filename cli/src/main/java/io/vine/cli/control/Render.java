package io.vine.cli.control;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.List;

/** The text forms of the control API's documents. */
final class Render {
    private static final List<String> STATUS_KEYS = List.of("name", "peerId", "networkId", "state", "localPrefix", "tun",
            "uptimeSeconds", "peers_total", "peers_connected", "peers_admitted", "handshakes_started", "handshakes_completed",
            "connect_attempts", "connect_failures", "backoff_skips", "routes");

    private Render() {}

    static void status(JsonNode s, PrintWriter out) {
        for (String k : STATUS_KEYS) {
            if (s.has(k)) {
                out.printf("%-22s %s%n", k, s.get(k).asText());
            }
        }
        if (s.has("listenAddresses")) {
            s.get("listenAddresses").forEach(a -> out.printf("%-22s %s%n", "listen", a.asText()));
        }
    }

    static void peers(JsonNode a, PrintWriter out) {
        TextTable t = new TextTable("PEER", "PREFIX", "RELAY", "CONNECTED", "ADMITTED", "PATH", "REFUSED");
        a.forEach(p -> t.row(p.get("peerId").asText() + (p.get("self").asBoolean() ? " (self)" : ""), p.get("prefix").asText(),
                yes(p, "relayCapable"), yes(p, "connected"), yes(p, "admitted"), p.get("path").asText(), text(p, "refused")));
        t.print(out);
    }

    static void routes(JsonNode a, PrintWriter out) {
        TextTable t = new TextTable("PREFIX", "OWNER", "EPOCH");
        a.forEach(r -> t.row(r.get("prefix").asText(), r.get("owner").asText() + (r.get("local").asBoolean() ? " (self)" : ""),
                r.get("epoch").asLong()));
        t.print(out);
    }

    static void sessions(JsonNode a, PrintWriter out) {
        TextTable t = new TextTable("PEER", "PREFIX", "PATH", "VIA", "LATENCY", "BYTES IN", "BYTES OUT", "PATHS");
        a.forEach(s -> t.row(s.get("peerId").asText(), text(s, "prefix"), s.get("path").asText(),
                s.get("path").asText().equals("relay") ? text(s, "via") : null,
                s.get("latencyMs").isNull() ? null : String.format("%.1f ms", s.get("latencyMs").asDouble()),
                s.get("bytesIn").asLong(), s.get("bytesOut").asLong(), s.get("paths").size()));
        t.print(out);
    }

    static void counters(JsonNode o, PrintWriter out) {
        TextTable t = new TextTable("COUNTER", "VALUE");
        o.properties().forEach(e -> t.row(e.getKey(), e.getValue().asLong()));
        t.print(out);
    }

    private static String yes(JsonNode n, String field) {
        return n.get(field).asBoolean() ? "yes" : "no";
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
