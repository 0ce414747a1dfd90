package io.vine.cli.perf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vine.core.Connection;
import io.vine.protocol.perf.PerfResult;
import io.vine.protocol.perf.PerfRun;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * What {@code vine perf client} prints. JSON: one line per second
 * {@code {"type":"intermediary","timeSeconds":..,"uploadBytes":..,"downloadBytes":..}} with the bytes
 * moved in that interval, then {@code {"type":"final",...}} with the same keys over the whole run (the
 * libp2p perf benchmarks' format); on failure {@code {"type":"error","error":"..."}}. Text: the same in
 * words, throughput in Gbit/s.
 */
final class PerfOutput {
    enum Format { text, json }

    static final long INTERVAL_NANOS = 1_000_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintWriter out;
    private final Format format;
    private long startNanos;
    private long lastNanos;
    private long lastUp;
    private long lastDown;

    PerfOutput(PrintWriter out, Format format) {
        this.out = out;
        this.format = format;
    }

    void connected(Connection c, long up, long down) {
        if (format == Format.text) {
            out.printf("connected to %s (%s, %s); uploading %d bytes, then downloading %d%n",
                    c.remoteAddress(), c.security(), c.muxer(), up, down);
            out.flush();
        }
    }

    void start(PerfRun run) {
        startNanos = System.nanoTime();
        lastNanos = startNanos;
    }

    long nanosToNextReport() {
        return Math.max(1, lastNanos + INTERVAL_NANOS - System.nanoTime());
    }

    void progress(PerfRun run) {
        long now = System.nanoTime();
        long up = run.uploadedBytes();
        long down = run.downloadedBytes();
        double seconds = (now - lastNanos) / 1e9;
        if (format == Format.json) {
            print(line("intermediary", seconds, up - lastUp, down - lastDown));
        } else {
            out.printf(Locale.ROOT, "%7.1f s  up %s  down %s%n", (now - startNanos) / 1e9,
                    progressText(up, run.uploadTarget(), up - lastUp, seconds),
                    progressText(down, run.downloadTarget(), down - lastDown, seconds));
            out.flush();
        }
        lastNanos = now;
        lastUp = up;
        lastDown = down;
    }

    void result(PerfResult r) {
        if (format == Format.json) {
            print(line("final", r.totalTime().toNanos() / 1e9, r.uploadBytes(), r.downloadBytes()));
            return;
        }
        out.printf(Locale.ROOT, "upload:   %d bytes in %.3f s: %.3f Gbit/s%n", r.uploadBytes(), seconds(r.uploadTime()),
                r.uploadGbitPerSecond());
        out.printf(Locale.ROOT, "download: %d bytes in %.3f s: %.3f Gbit/s%n", r.downloadBytes(),
                seconds(r.downloadTime()), r.downloadGbitPerSecond());
        out.printf(Locale.ROOT, "total:    %d bytes in %.3f s: %.3f Gbit/s%n", r.uploadBytes() + r.downloadBytes(),
                seconds(r.totalTime()), r.totalGbitPerSecond());
        out.flush();
    }

    void error(String message) {
        if (format == Format.json) {
            ObjectNode n = JSON.createObjectNode();
            n.put("type", "error");
            n.put("error", message);
            print(n);
        }
    }

    private static ObjectNode line(String type, double seconds, long up, long down) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", type);
        n.put("timeSeconds", seconds);
        n.put("uploadBytes", up);
        n.put("downloadBytes", down);
        return n;
    }

    private void print(ObjectNode n) {
        out.println(n);
        out.flush();
    }

    private static String progressText(long done, long target, long delta, double seconds) {
        double gbps = seconds <= 0 ? 0 : delta * 8 / seconds / 1e9;
        return String.format(Locale.ROOT, "%5.1f%% (%.3f Gbit/s)", target == 0 ? 100.0 : 100.0 * done / target, gbps);
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
