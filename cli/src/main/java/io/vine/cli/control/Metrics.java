package io.vine.cli.control;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * {@code GET /metrics}: the overlay's counters as {@code vine_<name>_total} counters and the swarm's
 * connection counters and peer gauges, in the Prometheus text exposition format (version 0.0.4).
 */
final class Metrics {
    private static final java.util.Set<String> GAUGES = java.util.Set.of("peers_total", "peers_connected", "peers_admitted", "routes");

    private Metrics() {}

    static String render(NodeView view) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Long> e : view.node().diagnostics().counters().entrySet()) {
            counter(sb, "vine_" + e.getKey() + "_total", "vine overlay counter " + e.getKey(), e.getValue());
        }
        JsonNode status = view.status();
        for (String name : new String[] {"handshakes_started", "handshakes_completed", "connect_attempts", "connect_failures",
            "backoff_skips"}) {
            counter(sb, "vine_swarm_" + name + "_total", "vine swarm counter " + name, status.get(name).asLong());
        }
        for (String name : GAUGES.stream().sorted().toList()) {
            String metric = "vine_" + name;
            sb.append("# HELP ").append(metric).append(" vine gauge ").append(name).append('\n');
            sb.append("# TYPE ").append(metric).append(" gauge\n");
            sb.append(metric).append(' ').append(status.get(name).asLong()).append('\n');
        }
        sb.append("# HELP vine_up 1 while the node runs\n# TYPE vine_up gauge\nvine_up{peer_id=\"")
                .append(status.get("peerId").asText()).append("\",network_id=\"").append(escape(status.get("networkId").asText()))
                .append("\"} 1\n");
        return sb.toString();
    }

    private static void counter(StringBuilder sb, String metric, String help, long value) {
        sb.append("# HELP ").append(metric).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(metric).append(" counter\n");
        sb.append(metric).append(' ').append(value).append('\n');
    }

    private static String escape(String label) {
        return label.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
