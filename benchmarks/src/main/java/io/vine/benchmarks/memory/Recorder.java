package io.vine.benchmarks.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The phases one process went through: a snapshot and a class histogram of each, and what they mean per unit. */
final class Recorder {
    static final String BASELINE = "baseline";
    static final String CONNECTIONS = "connections";
    static final String STREAMS = "streams";
    static final String CLOSED = "closed";

    /** A snapshot and the file that holds the class histogram taken just before it. */
    record Phase(Snapshot snapshot, java.nio.file.Path histogramFile, Map<String, Long> nativeMemory) {
        HeapHistogram histogram() {
            return HeapHistogram.read(histogramFile);
        }
    }

    private final String role;
    private final List<Phase> phases = new ArrayList<>();

    Recorder(String role) {
        this.role = role;
    }

    /** Measures this process now (histogram first: both run full GCs). */
    synchronized Snapshot measure(String phase, long connections, long streams) {
        java.nio.file.Path h = HeapHistogram.takeToFile();
        Snapshot s = Snapshot.take(phase, connections, streams);
        phases.add(new Phase(s, h, NativeMemory.take()));
        return s;
    }

    synchronized Phase phase(String name) {
        for (int i = phases.size() - 1; i >= 0; i--) {
            if (phases.get(i).snapshot().phase().equals(name)) {
                return phases.get(i);
            }
        }
        return null;
    }

    /**
     * The class histogram differences: baseline to connections per connection, connections to
     * streams per stream, baseline to closed (what closing did not give back); or, when a phase is
     * missing, baseline to the last phase.
     */
    synchronized String histogramReport(int limit) {
        StringBuilder sb = new StringBuilder();
        Phase base = phase(BASELINE);
        Phase conns = phase(CONNECTIONS);
        Phase streams = phase(STREAMS);
        Phase closed = phase(CLOSED);
        if (base != null && conns != null) {
            sb.append(HeapHistogram.report("[" + role + "] heap growth per connection (baseline -> connections)",
                    base.histogram(), conns.histogram(), added(base, conns, true), "conn", limit));
        }
        if (conns != null && streams != null) {
            sb.append(HeapHistogram.report("[" + role + "] heap growth per stream (connections -> streams)",
                    conns.histogram(), streams.histogram(), added(conns, streams, false), "stream", limit));
        }
        if (base != null && closed != null) {
            sb.append(HeapHistogram.report("[" + role + "] heap left after closing (baseline -> closed)",
                    base.histogram(), closed.histogram(), 1, "run", Math.min(limit, 10)));
        }
        if (base != null && conns != null && streams != null) {
            sb.append(NativeMemory.report(role, List.of(BASELINE, CONNECTIONS, STREAMS),
                    List.of(base.nativeMemory(), conns.nativeMemory(), streams.nativeMemory()),
                    new long[] {added(base, conns, true), added(conns, streams, false)}, new String[] {"conn", "stream"}));
        }
        if (base != null && (conns == null || streams == null) && phases.size() > 1) {
            Phase last = phases.get(phases.size() - 1);
            sb.append(HeapHistogram.report("[" + role + "] heap growth baseline -> " + last.snapshot().phase(),
                    base.histogram(), last.histogram(), 1, "run", limit));
        }
        return sb.toString();
    }

    private static long added(Phase from, Phase to, boolean connections) {
        return connections
                ? to.snapshot().connections() - from.snapshot().connections()
                : to.snapshot().streams() - from.snapshot().streams();
    }

    /** Per-unit figures of {@code from -> to}: every value's difference over the connections or streams added. */
    static Map<String, Double> perUnit(Snapshot from, Snapshot to, boolean connections) {
        long units = connections ? to.connections() - from.connections() : to.streams() - from.streams();
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        Map<String, Long> a = from.values();
        to.values().forEach((k, v) -> {
            if (!k.equals("connections") && !k.equals("streams") && v >= 0 && a.get(k) >= 0) {
                out.put(k, units == 0 ? Double.NaN : (double) (v - a.get(k)) / units);
            }
        });
        return out;
    }

    /** A table: one row per value, one column per phase, then per connection and per stream. */
    static String table(String role, List<Snapshot> snaps) {
        Snapshot base = find(snaps, BASELINE);
        Snapshot conns = find(snaps, CONNECTIONS);
        Snapshot streams = find(snaps, STREAMS);
        Map<String, Double> perConn = base != null && conns != null ? perUnit(base, conns, true) : Map.of();
        Map<String, Double> perStream = conns != null && streams != null ? perUnit(conns, streams, false) : Map.of();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-8s %-15s", role, "value"));
        snaps.forEach(s -> sb.append(String.format(Locale.ROOT, " %13s", s.phase())));
        sb.append(String.format(Locale.ROOT, " %14s %14s%n", "per conn", "per stream"));
        for (String key : snaps.get(0).values().keySet()) {
            boolean bytes = !(key.equals("threads") || key.equals("fds") || key.equals("connections")
                    || key.equals("streams"));
            sb.append(String.format(Locale.ROOT, "%-8s %-15s", role, key + (bytes ? " (KiB)" : "")));
            for (Snapshot s : snaps) {
                long v = s.values().get(key);
                sb.append(String.format(Locale.ROOT, " %13s", v < 0 ? "n/a"
                        : bytes ? String.format(Locale.ROOT, "%,.0f", v / 1024.0) : String.format(Locale.ROOT, "%,d", v)));
            }
            sb.append(String.format(Locale.ROOT, " %14s %14s%n", cell(perConn.get(key), bytes), cell(perStream.get(key), bytes)));
        }
        return sb.toString();
    }

    private static String cell(Double v, boolean bytes) {
        if (v == null || v.isNaN()) {
            return "";
        }
        return bytes ? String.format(Locale.ROOT, "%,.0f B", v) : String.format(Locale.ROOT, "%.3f", v);
    }

    static Snapshot find(List<Snapshot> snaps, String phase) {
        for (int i = snaps.size() - 1; i >= 0; i--) {
            if (snaps.get(i).phase().equals(phase)) {
                return snaps.get(i);
            }
        }
        return null;
    }
}
