package io.vine.benchmarks.memory;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The one-line JSON summary of a run. */
final class Report {
    private Report() {}

    static String json(MemoryClient.Options o, List<Snapshot> client, List<Snapshot> server, long elapsedNanos,
            String failure) {
        StringBuilder sb = new StringBuilder("{");
        sb.append("\"benchmark\":\"memory-scale\"");
        sb.append(",\"connections\":").append(o.connections());
        sb.append(",\"streamsPerConnection\":").append(o.streams());
        sb.append(",\"maxHeapBytes\":").append(Runtime.getRuntime().maxMemory());
        sb.append(",\"elapsedMs\":").append(elapsedNanos / 1_000_000);
        sb.append(",\"ok\":").append(failure == null);
        if (failure != null) {
            sb.append(",\"failure\":\"").append(failure.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        sb.append(",\"client\":").append(process(client));
        sb.append(",\"server\":").append(process(server));
        return sb.append('}').toString();
    }

    private static String process(List<Snapshot> snaps) {
        StringBuilder sb = new StringBuilder("{");
        Snapshot base = Recorder.find(snaps, Recorder.BASELINE);
        Snapshot conns = Recorder.find(snaps, Recorder.CONNECTIONS);
        Snapshot streams = Recorder.find(snaps, Recorder.STREAMS);
        if (base != null && conns != null) {
            sb.append("\"perConnection\":").append(object(Recorder.perUnit(base, conns, true))).append(',');
        }
        if (conns != null && streams != null) {
            sb.append("\"perStream\":").append(object(Recorder.perUnit(conns, streams, false))).append(',');
        }
        sb.append("\"phases\":{");
        sb.append(snaps.stream()
                .map(s -> "\"" + s.phase() + "\":" + object(s.values()))
                .collect(Collectors.joining(",")));
        return sb.append("}}").toString();
    }

    private static String object(Map<String, ? extends Number> values) {
        return values.entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\":" + number(e.getValue()))
                .collect(Collectors.joining(",", "{", "}"));
    }

    private static String number(Number n) {
        if (n instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? "null" : String.format(Locale.ROOT, "%.1f", d);
        }
        return n.toString();
    }
}
