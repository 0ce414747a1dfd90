package io.vine.benchmarks.memory;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What one process uses at one moment, measured after full garbage collections. Values are bytes
 * (or counts); -1 where the platform does not tell.
 *
 * @param heapUsed heap used right after full GCs (live objects plus fragmentation)
 * @param heapCommitted heap the JVM has committed
 * @param nonHeapUsed metaspace, code cache and the like
 * @param nettyDirect direct memory the default Netty allocator holds (its chunks, used or not)
 * @param nettyHeap heap chunks the default Netty allocator holds
 * @param pooledDirect direct memory {@link PooledByteBufAllocator#DEFAULT} holds
 * @param platformDirect direct memory Netty counts through {@link PlatformDependent#usedDirectMemory()}
 * @param jdkDirect memory of the JDK's direct buffer pool ({@code ByteBuffer.allocateDirect})
 * @param rss resident set size of the process
 * @param threads live Java threads
 * @param fds open file descriptors
 * @param connections open swarm connections
 * @param streams open streams over all connections
 */
record Snapshot(
        String phase,
        long heapUsed,
        long heapCommitted,
        long nonHeapUsed,
        long nettyDirect,
        long nettyHeap,
        long pooledDirect,
        long platformDirect,
        long jdkDirect,
        long rss,
        long threads,
        long fds,
        long connections,
        long streams) {

    /** Collects garbage until the heap stops shrinking, then measures. */
    static Snapshot take(String phase, long connections, long streams) {
        fullGc();
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        var nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
        long nettyDirect = -1;
        long nettyHeap = -1;
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider p) {
            nettyDirect = p.metric().usedDirectMemory();
            nettyHeap = p.metric().usedHeapMemory();
        }
        long jdkDirect = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct"))
                .mapToLong(BufferPoolMXBean::getMemoryUsed)
                .sum();
        return new Snapshot(phase, heap.getUsed(), heap.getCommitted(), nonHeap.getUsed(), nettyDirect, nettyHeap,
                PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory(), PlatformDependent.usedDirectMemory(),
                jdkDirect, readRss(), ManagementFactory.getThreadMXBean().getThreadCount(), countFds(), connections, streams);
    }

    /** System.gc() (a full, compacting collection with G1 and the other stock collectors) until stable. */
    static void fullGc() {
        long previous = Long.MAX_VALUE;
        for (int i = 0; i < 6; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (i >= 2 && used >= previous - 64 * 1024) {
                return;
            }
            previous = used;
        }
    }

    private static long readRss() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
            return lines.filter(l -> l.startsWith("VmRSS:"))
                    .map(l -> l.replaceAll("[^0-9]", ""))
                    .mapToLong(kb -> Long.parseLong(kb) * 1024)
                    .findFirst().orElse(-1);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long countFds() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The values by name, in declaration order. */
    Map<String, Long> values() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("heapUsed", heapUsed);
        m.put("heapCommitted", heapCommitted);
        m.put("nonHeapUsed", nonHeapUsed);
        m.put("nettyDirect", nettyDirect);
        m.put("nettyHeap", nettyHeap);
        m.put("pooledDirect", pooledDirect);
        m.put("platformDirect", platformDirect);
        m.put("jdkDirect", jdkDirect);
        m.put("rss", rss);
        m.put("threads", threads);
        m.put("fds", fds);
        m.put("connections", connections);
        m.put("streams", streams);
        return m;
    }

    /** One line, {@code phase key=value ...}: the control protocol's answer. */
    String encode() {
        StringBuilder sb = new StringBuilder(phase);
        values().forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
        return sb.toString();
    }

    /** Parses {@link #encode()}. */
    static Snapshot decode(String line) {
        String[] parts = line.trim().split(" ");
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("snapshot field: " + parts[i] + " (expected: key=value)");
            }
            m.put(parts[i].substring(0, eq), Long.parseLong(parts[i].substring(eq + 1)));
        }
        return new Snapshot(parts[0], m.getOrDefault("heapUsed", -1L), m.getOrDefault("heapCommitted", -1L),
                m.getOrDefault("nonHeapUsed", -1L), m.getOrDefault("nettyDirect", -1L),
                m.getOrDefault("nettyHeap", -1L), m.getOrDefault("pooledDirect", -1L),
                m.getOrDefault("platformDirect", -1L), m.getOrDefault("jdkDirect", -1L), m.getOrDefault("rss", -1L),
                m.getOrDefault("threads", -1L), m.getOrDefault("fds", -1L), m.getOrDefault("connections", -1L),
                m.getOrDefault("streams", -1L));
    }
}
