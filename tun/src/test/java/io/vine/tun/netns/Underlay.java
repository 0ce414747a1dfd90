package io.vine.tun.netns;

import io.vine.tun.linux.TestNetns;
import java.util.ArrayList;
import java.util.List;

/**
 * Throw-away network namespaces joined by veth pairs (the underlay of the netns tests). Every
 * namespace is created with {@code ip netns add} and deleted on {@link #close()}, which also removes
 * the veth ends inside it; close tolerates a half-built underlay.
 */
final class Underlay implements AutoCloseable {
    private final String prefix;
    private final List<String> namespaces = new ArrayList<>();

    Underlay(String prefix) {
        this.prefix = prefix + "-" + ProcessHandle.current().pid();
    }

    /** Whether the tests can run here: effective uid 0, /dev/net/tun, the ip command. */
    static boolean usable() {
        return TestNetns.usable();
    }

    /**
     * Deletes namespaces {@code <prefix>-<pid>-*} left by a test JVM that was killed (its pid is gone),
     * so that an aborted run does not leak into the next one.
     */
    static void sweepStale(String prefix) {
        for (String line : run("ip", "netns", "list").split("\n")) {
            String ns = line.split("\\s+")[0];
            if (!ns.startsWith(prefix + "-")) {
                continue;
            }
            String[] parts = ns.substring(prefix.length() + 1).split("-", 2);
            try {
                long pid = Long.parseLong(parts[0]);
                if (pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).isEmpty()) {
                    run("ip", "netns", "del", ns);
                }
            } catch (NumberFormatException | AssertionError ignored) {
                // not ours, or deleted meanwhile
            }
        }
    }

    /** Creates namespace {@code <prefix>-<pid>-<name>} with lo up and returns its name. */
    String namespace(String name) {
        String ns = prefix + "-" + name;
        run("ip", "netns", "add", ns);
        namespaces.add(ns);
        ip(ns, "link", "set", "lo", "up");
        return ns;
    }

    /** A veth pair between two namespaces, each end with an address (a/len) and up. */
    void link(String nsA, String ifA, String addrA, String nsB, String ifB, String addrB) {
        run("ip", "link", "add", ifA, "netns", nsA, "type", "veth", "peer", "name", ifB, "netns", nsB);
        ip(nsA, "addr", "add", addrA, "dev", ifA);
        ip(nsB, "addr", "add", addrB, "dev", ifB);
        ip(nsA, "link", "set", ifA, "up");
        ip(nsB, "link", "set", ifB, "up");
    }

    static String ip(String ns, String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", ns));
        cmd.addAll(List.of(args));
        return run(cmd.toArray(String[]::new));
    }

    List<String> namespaces() {
        return List.copyOf(namespaces);
    }

    static String run(String... cmd) {
        return io.vine.tun.TestCommands.run(cmd);
    }

    /** Deletes every namespace created (in reverse), carrying on past failures; rethrows the first. */
    @Override
    public void close() {
        AssertionError first = null;
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            try {
                run("ip", "netns", "del", namespaces.get(i));
            } catch (AssertionError e) {
                first = first == null ? e : first;
            }
        }
        namespaces.clear();
        if (first != null) {
            throw first;
        }
    }
}
