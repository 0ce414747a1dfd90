package io.vine.tun.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** A throw-away network namespace for root tests: created with {@code ip netns add}, deleted on close. */
public final class TestNetns implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    public final String name;
    public final Path path;

    private TestNetns(String name) {
        this.name = name;
        this.path = Path.of("/run/netns", name);
    }

    /** Whether root tests can run here: effective uid 0, /dev/net/tun present, the ip command present. */
    public static boolean usable() {
        try {
            boolean root = Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("Uid:")).map(l -> l.split("\\s+")[2]).anyMatch("0"::equals);
            return root && LinuxTun.isAvailable() && run("ip", "-V").contains("ip");
        } catch (IOException | RuntimeException | AssertionError e) {
            return false;
        }
    }

    public static TestNetns create() {
        TestNetns ns = new TestNetns("vine-t-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet());
        run("ip", "netns", "add", ns.name);
        try {
            ns.ip("link", "set", "lo", "up");
        } catch (RuntimeException | AssertionError e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    /** Runs {@code ip -n <ns> args...} and returns its output. */
    String ip(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", name));
        cmd.addAll(List.of(args));
        return run(cmd.toArray(String[]::new));
    }

    /** Runs {@code work} on a thread inside the namespace and waits for it. */
    <T> T call(Supplier<T> work) {
        return Netns.call(path, work);
    }

    /** Runs {@code work} on a thread inside the namespace without waiting. */
    public <T> CompletableFuture<T> async(Supplier<T> work) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread.ofPlatform().daemon(true).name("vine-test-netns").start(() -> {
            try {
                f.complete(Netns.call(path, work));
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f;
    }

    static String run(String... cmd) {
        return io.vine.tun.TestCommands.run(cmd);
    }

    @Override
    public void close() {
        run("ip", "netns", "del", name);
    }
}
