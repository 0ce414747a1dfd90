package io.vine.examples.perf;

import io.vine.core.SecurityProtocol;
import io.vine.core.Transport;
import io.vine.core.crypto.Keys;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.peer.PeerId;
import io.vine.muxer.yamux.Yamux;
import io.vine.protocol.perf.Perf;
import io.vine.protocol.perf.PerfResult;
import io.vine.protocol.perf.PerfRun;
import io.vine.security.noise.NoiseSecurity;
import io.vine.security.plaintext.PlaintextSecurity;
import io.vine.swarm.Swarm;
import io.vine.transport.memory.MemoryTransport;
import io.vine.transport.tcp.TcpTransport;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Measures throughput between two libp2p nodes with the perf protocol, composing each node in code.
 *
 * <pre>
 * BandwidthPerf server [--port 54321] [--security noise|plaintext]
 * BandwidthPerf client [--server MULTIADDR] [--bytes N] [--security noise|plaintext]
 * BandwidthPerf local  [--bytes N] [--transport tcp|memory] [--security noise|plaintext]
 * </pre>
 *
 * The client also reads the environment of the original example: {@code BYTE_SIZE},
 * {@code RESPONDER_KEY} (the server's peer id), {@code RESPONDER_IP} and {@code RESPONDER_PORT}.
 * {@code local} runs a server and a client in this process.
 */
public final class BandwidthPerf {
    private static final long DEFAULT_BYTES = 100L << 20;

    private BandwidthPerf() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: BandwidthPerf server|client|local [--port N] [--server MULTIADDR] [--bytes N]"
                    + " [--transport tcp|memory] [--security noise|plaintext]");
            System.exit(2);
        }
        Map<String, String> flags = flags(args);
        switch (args[0]) {
            case "server" -> server(flags);
            case "client" -> client(flags);
            case "local" -> local(flags);
            default -> throw new IllegalArgumentException("mode: " + args[0] + " (expected: server, client or local)");
        }
    }

    /** The node: one transport, one security protocol, yamux, and perf. This is the part to copy. */
    static Swarm node(String transport, String security) {
        return Swarm.builder()
                .identity(Keys.generateEd25519())
                .transport(transport(transport))
                .security(security(security))
                .muxer(new Yamux())
                .protocol(new Perf()) // serves /perf/1.0.0; a client-only node may leave it out
                .build();
    }

    private static void server(Map<String, String> flags) throws Exception {
        String port = flags.getOrDefault("port", "54321");
        try (Swarm node = node("tcp", flags.getOrDefault("security", "noise"))) {
            Multiaddr bound = node.listen(Multiaddr.parse("/ip4/0.0.0.0/tcp/" + port)).get(10, TimeUnit.SECONDS);
            System.out.println(bound.withPeerId(node.localPeer()));
            System.out.println("peer id: " + node.localPeer() + " (RESPONDER_KEY for the client)");
            new CountDownLatch(1).await();
        }
    }

    private static void client(Map<String, String> flags) throws Exception {
        Multiaddr server = Multiaddr.parse(flags.computeIfAbsent("server", k -> fromEnvironment()));
        try (Swarm node = node("tcp", flags.getOrDefault("security", "noise"))) {
            PeerId peer = node.dial(server).get(30, TimeUnit.SECONDS).remotePeer();
            measure(node, peer, bytes(flags));
        }
    }

    private static void local(Map<String, String> flags) throws Exception {
        String transport = flags.getOrDefault("transport", "tcp");
        String security = flags.getOrDefault("security", "noise");
        try (Swarm server = node(transport, security); Swarm client = node(transport, security)) {
            Multiaddr at = server.listen(Multiaddr.parse(transport.equals("memory") ? "/memory/0" : "/ip4/127.0.0.1/tcp/0"))
                    .get(10, TimeUnit.SECONDS);
            client.dial(at.withPeerId(server.localPeer())).get(10, TimeUnit.SECONDS);
            measure(client, server.localPeer(), bytes(flags));
        }
    }

    /** Uploads and downloads {@code bytes} each way, printing progress every second, then the result. */
    private static void measure(Swarm node, PeerId server, long bytes) throws Exception {
        PerfRun run = Perf.run(node, server, bytes, bytes);
        long start = System.nanoTime();
        while (true) {
            try {
                PerfResult r = run.result().get(1, TimeUnit.SECONDS);
                System.out.printf("upload   %.3f Gbit/s (%d bytes in %s)%n", r.uploadGbitPerSecond(), r.uploadBytes(), r.uploadTime());
                System.out.printf("download %.3f Gbit/s (%d bytes in %s)%n", r.downloadGbitPerSecond(), r.downloadBytes(), r.downloadTime());
                System.out.printf("total    %.3f Gbit/s%n", r.totalGbitPerSecond());
                return;
            } catch (TimeoutException e) {
                System.out.printf("%5.1f s: uploaded %d, downloaded %d bytes%n", (System.nanoTime() - start) / 1e9,
                        run.uploadedBytes(), run.downloadedBytes());
            }
        }
    }

    private static Transport transport(String name) {
        return switch (name) {
            case "tcp" -> new TcpTransport();
            case "memory" -> new MemoryTransport();
            default -> throw new IllegalArgumentException("--transport: " + name + " (expected: tcp or memory)");
        };
    }

    private static SecurityProtocol security(String name) {
        return switch (name) {
            case "noise" -> new NoiseSecurity();
            case "plaintext" -> new PlaintextSecurity();
            default -> throw new IllegalArgumentException("--security: " + name + " (expected: noise or plaintext)");
        };
    }

    private static String fromEnvironment() {
        String key = System.getenv("RESPONDER_KEY");
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("give --server MULTIADDR or set RESPONDER_KEY to the server's peer id");
        }
        String ip = System.getenv().getOrDefault("RESPONDER_IP", "127.0.0.1");
        String port = System.getenv().getOrDefault("RESPONDER_PORT", "54321");
        return "/" + (ip.contains(":") ? "ip6" : "ip4") + "/" + ip + "/tcp/" + port + "/p2p/" + key;
    }

    private static long bytes(Map<String, String> flags) {
        String raw = flags.getOrDefault("bytes", System.getenv("BYTE_SIZE"));
        return raw == null ? DEFAULT_BYTES : Long.parseLong(raw.strip());
    }

    private static Map<String, String> flags(String[] args) {
        Map<String, String> flags = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 == args.length) {
                throw new IllegalArgumentException("expected --flag value, got: " + args[i]);
            }
            flags.put(args[i].substring(2), args[++i]);
        }
        return flags;
    }
}
