package io.vine.benchmarks.memory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * A class histogram of the live heap of this process ({@code jcmd <pid> GC.class_histogram}, taken
 * in-process through the DiagnosticCommand MBean; it runs a full GC first), and differences of two.
 */
final class HeapHistogram {
    private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

    /** Per class name: {instances, bytes}. */
    private final Map<String, long[]> rows;

    private HeapHistogram(Map<String, long[]> rows) {
        this.rows = rows;
    }

    /**
     * Takes a histogram now and writes it to a temporary file, so that keeping it does not weigh on
     * the heap the next measurements see; empty when the diagnostic command is not available.
     */
    static Path takeToFile() {
        String text = "";
        try {
            ObjectName name = new ObjectName("com.sun.management:type=DiagnosticCommand");
            text = (String) ManagementFactory.getPlatformMBeanServer().invoke(name, "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
        } catch (Exception e) {
            System.err.println("class histogram unavailable: " + e);
        }
        try {
            Path file = Files.createTempFile("vine-memory-histogram", ".txt");
            file.toFile().deleteOnExit();
            Files.writeString(file, text);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a histogram {@link #takeToFile()} wrote. */
    static HeapHistogram read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static HeapHistogram parse(String text) {
        Map<String, long[]> rows = new HashMap<>();
        for (String line : text.split("\n")) {
            Matcher m = ROW.matcher(line);
            if (m.find()) {
                rows.merge(m.group(3), new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))},
                        (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
            }
        }
        return new HeapHistogram(rows);
    }

    long totalBytes() {
        return rows.values().stream().mapToLong(r -> r[1]).sum();
    }

    /** One row of a difference: instances and bytes added between two histograms. */
    record Delta(String className, long instances, long bytes) {}

    /** What {@code after} holds more than {@code before}, largest byte growth first. */
    static List<Delta> diff(HeapHistogram before, HeapHistogram after) {
        Set<String> names = new HashSet<>(before.rows.keySet());
        names.addAll(after.rows.keySet());
        List<Delta> out = new ArrayList<>();
        for (String n : names) {
            long[] a = before.rows.getOrDefault(n, new long[2]);
            long[] b = after.rows.getOrDefault(n, new long[2]);
            out.add(new Delta(n, b[0] - a[0], b[1] - a[1]));
        }
        out.sort(Comparator.comparingLong(Delta::bytes).reversed());
        return out;
    }

    /** The top {@code limit} rows of {@code diff(before, after)}, with per-unit figures over {@code units}. */
    static String report(String title, HeapHistogram before, HeapHistogram after, long units, String unit, int limit) {
        List<Delta> d = diff(before, after);
        long total = d.stream().mapToLong(Delta::bytes).sum();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s: %+,d bytes live in total over %,d %ss (%,.0f B per %s)%n",
                title, total, units, unit, units == 0 ? 0.0 : (double) total / units, unit));
        sb.append(String.format(Locale.ROOT, "  %12s %12s %10s %9s  %s%n",
                "+instances", "+bytes", "B/" + unit, "inst/" + unit, "class"));
        for (Delta r : d.subList(0, Math.min(limit, d.size()))) {
            double per = units == 0 ? 0 : (double) r.bytes() / units;
            double inst = units == 0 ? 0 : (double) r.instances() / units;
            sb.append(String.format(Locale.ROOT, "  %,12d %,12d %10.1f %9.2f  %s%n",
                    r.instances(), r.bytes(), per, inst, r.className()));
        }
        return sb.toString();
    }
}
