package io.vine.benchmarks.memory;

import io.vine.core.multiaddr.Multiaddr;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Measures what connections and streams cost in memory between two vine processes on loopback.
 *
 * <pre>
 * java -Xmx512m -cp benchmarks.jar io.vine.benchmarks.memory.MemoryScale server [--listen /ip4/127.0.0.1/tcp/0]
 * java -Xmx512m -cp benchmarks.jar io.vine.benchmarks.memory.MemoryScale client --server &lt;multiaddr with /p2p&gt;
 *      [--connections 1000] [--streams 10] [--concurrency 64] [--warmup 16] [--payload 64] [--phase-timeout 60] [--hold 0]
 * </pre>
 *
 * The server prints {@code listening <multiaddr>}; the client prints a table per process, the class
 * histogram growth per connection and per stream, and a JSON line. {@code --hold s} keeps every
 * stream open for {@code s} seconds after the streams phase, to inspect both processes by hand. Exit status 0 on success, 1 when a
 * phase failed (the report then shows how far it got), 2 on bad arguments.
 */
public final class MemoryScale {
    private MemoryScale() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !(args[0].equals("server") || args[0].equals("client"))) {
            usage("expected a role: server or client");
        }
        Map<String, String> opts = options(args);
        int ioThreads = intOption(opts, "io-threads", 0, 0);
        if (args[0].equals("server")) {
            Multiaddr listen = Multiaddr.parse(opts.getOrDefault("listen", "/ip4/127.0.0.1/tcp/0"));
            new MemoryServer().run(listen, intOption(opts, "max-connections", 100_000, 1), ioThreads);
            System.exit(0);
        }
        String server = opts.get("server");
        if (server == null) {
            usage("client: --server <multiaddr> is required");
        }
        MemoryClient.Options o = new MemoryClient.Options(
                Multiaddr.parse(server),
                intOption(opts, "connections", 1000, 1),
                intOption(opts, "streams", 10, 0),
                intOption(opts, "concurrency", 64, 1),
                intOption(opts, "warmup", 16, 0),
                intOption(opts, "payload", 64, 1),
                ioThreads,
                Duration.ofSeconds(intOption(opts, "phase-timeout", 60, 1)),
                intOption(opts, "hold", 0, 0));
        System.exit(new MemoryClient(o).run());
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 == args.length) {
                usage("argument: " + args[i] + " (expected: --name value)");
            }
            opts.put(args[i].substring(2), args[++i]);
        }
        return opts;
    }

    private static int intOption(Map<String, String> opts, String name, int dflt, int min) {
        String v = opts.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        usage("--" + name + ": " + v + " (expected: an integer >= " + min + ")");
        return dflt;
    }

    private static void usage(String problem) {
        System.err.println("memory-scale: " + problem);
        System.err.println("usage: MemoryScale server [--listen <multiaddr>] [--max-connections n] [--io-threads n]");
        System.err.println("       MemoryScale client --server <multiaddr/p2p/id> [--connections 1000] [--streams 10]"
                + " [--concurrency 64] [--warmup 16] [--payload 64] [--phase-timeout 60] [--hold s] [--io-threads n]");
        System.exit(2);
    }
}
