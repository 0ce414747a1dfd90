package io.vine.benchmarks.memory;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * Committed native memory by NMT category ({@code jcmd <pid> VM.native_memory summary}, taken
 * in-process). Empty unless the JVM runs with {@code -XX:NativeMemoryTracking=summary}.
 */
final class NativeMemory {
    private static final Pattern TOTAL = Pattern.compile("^Total: reserved=(\\d+)KB, committed=(\\d+)KB");
    private static final Pattern CATEGORY = Pattern.compile("^-\\s+(.+?) \\(reserved=(\\d+)KB, committed=(\\d+)KB");

    private NativeMemory() {}

    /** Committed bytes per category, "Total" first; empty when NMT is off. */
    static Map<String, Long> take() {
        try {
            ObjectName name = new ObjectName("com.sun.management:type=DiagnosticCommand");
            String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(name, "vmNativeMemory",
                    new Object[] {new String[] {"summary"}}, new String[] {String[].class.getName()});
            return parse(text);
        } catch (Exception e) {
            return Map.of();
        }
    }

    static Map<String, Long> parse(String text) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            Matcher t = TOTAL.matcher(line.trim());
            if (t.find()) {
                out.put("Total", Long.parseLong(t.group(2)) * 1024);
                continue;
            }
            Matcher c = CATEGORY.matcher(line.trim());
            if (c.find()) {
                out.put(c.group(1).trim(), Long.parseLong(c.group(3)) * 1024);
            }
        }
        return out;
    }

    /** Per category: committed at each phase and the growth over {@code units[i]} between phases i and i+1. */
    static String report(String role, List<String> phases, List<Map<String, Long>> snaps, long[] units, String[] unitNames) {
        if (snaps.isEmpty() || snaps.get(0).isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-8s %-22s", role, "NMT committed (KiB)"));
        phases.forEach(p -> sb.append(String.format(Locale.ROOT, " %12s", p)));
        for (String u : unitNames) {
            sb.append(String.format(Locale.ROOT, " %12s", "per " + u));
        }
        sb.append('\n');
        for (String category : snaps.get(0).keySet()) {
            sb.append(String.format(Locale.ROOT, "%-8s %-22s", role, category));
            for (Map<String, Long> s : snaps) {
                sb.append(String.format(Locale.ROOT, " %,12.0f", s.getOrDefault(category, 0L) / 1024.0));
            }
            for (int i = 0; i < unitNames.length && i + 1 < snaps.size(); i++) {
                long d = snaps.get(i + 1).getOrDefault(category, 0L) - snaps.get(i).getOrDefault(category, 0L);
                sb.append(String.format(Locale.ROOT, " %,10.0f B", units[i] == 0 ? 0.0 : (double) d / units[i]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
