package io.vine.tun.netns;

import io.vine.core.crypto.Keys;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.peer.PeerId;
import io.vine.muxer.yamux.Yamux;
import io.vine.security.noise.NoiseSecurity;
import io.vine.security.tls.TlsSecurity;
import io.vine.transport.tcp.TcpTransport;
import io.vine.tun.overlay.IdentitySource;
import io.vine.tun.overlay.PeerEntry;
import io.vine.tun.overlay.VineConfig;
import io.vine.tun.overlay.VineNode;
import io.vine.tun.route.Route;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.StringJoiner;

/**
 * One overlay node in its own JVM, started by the tests with {@code ip netns exec <ns> java ...} so
 * that its TUN device and every socket (the swarm's and the ones the commands open) live in that
 * namespace. Arguments: {@code --seed hex32 --tun-address a/len --prefix p/len --listen multiaddr
 * [--peer id=prefix[,relay]]... [--bootstrap multiaddr]... [--relay] [--offload] [--security noise|tls]}.
 *
 * <p>Control over stdin/stdout, one line each way: {@code diag}, {@code ping addr millis},
 * {@code serve addr port}, {@code served}, {@code send addr port}, {@code sent}, {@code finish},
 * {@code quit}. Answers start with {@code OK } or {@code ERR }; the node prints {@code READY <peer>}
 * once bootstrapped. EOF on stdin stops the node, so it never outlives the test JVM.
 */
public final class NodeMain {
    private NodeMain() {}

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err); // library output must not mix with answers
        VineConfig config = parse(args);
        String security = value(args, "--security", "noise");
        VineNode node = VineNode.builder(config)
                .swarm(b -> b.transport(new TcpTransport())
                        .security("tls".equals(security) ? new TlsSecurity() : new NoiseSecurity())
                        .muxer(new Yamux()))
                .events(e -> System.err.println("event " + e))
                .build();
        Transfers transfers = new Transfers();
        try (node) {
            node.init();
            node.start();
            node.bootstrap().get(30, java.util.concurrent.TimeUnit.SECONDS);
            out.println("READY " + node.localPeer());
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                String[] cmd = line.trim().split("\\s+");
                if (cmd[0].equals("quit")) {
                    out.println("OK bye");
                    break;
                }
                try {
                    out.println("OK " + handle(node, transfers, cmd));
                } catch (Exception e) {
                    out.println("ERR " + e.toString().replace('\n', ' '));
                }
            }
        } finally {
            transfers.close();
        }
        System.exit(0);
    }

    private static String handle(VineNode node, Transfers transfers, String[] cmd) throws Exception {
        return switch (cmd[0]) {
            case "diag" -> diag(node);
            case "ping" -> {
                long start = System.nanoTime();
                boolean ok = InetAddress.ofLiteral(cmd[1]).isReachable(Integer.parseInt(cmd[2]));
                yield ok + " " + (System.nanoTime() - start) / 1000 + "us";
            }
            case "serve" -> transfers.serve(InetAddress.ofLiteral(cmd[1]), Integer.parseInt(cmd[2]));
            case "served" -> transfers.served();
            case "send" -> transfers.send(InetAddress.ofLiteral(cmd[1]), Integer.parseInt(cmd[2]));
            case "sent" -> transfers.sent();
            case "finish" -> transfers.finish();
            default -> throw new IllegalArgumentException("command: " + cmd[0]
                    + " (expected: diag, ping, serve, served, send, sent, finish, quit)");
        };
    }

    /** Counters, the path kind of every session and the route table as one JSON object. */
    static String diag(VineNode node) {
        StringJoiner counters = new StringJoiner(",", "{", "}");
        for (Map.Entry<String, Long> c : node.diagnostics().counters().entrySet()) {
            counters.add("\"" + c.getKey() + "\":" + c.getValue());
        }
        StringJoiner sessions = new StringJoiner(",", "{", "}");
        for (PeerEntry e : node.config().allowlist()) {
            node.sessionPath(e.peer()).ifPresent(k -> sessions.add("\"" + e.peer() + "\":\"" + k + "\""));
        }
        StringJoiner routes = new StringJoiner(",", "{", "}");
        for (Route r : node.routes()) {
            routes.add("\"" + r.prefix() + "\":\"" + r.owner() + "@" + r.epoch() + "\"");
        }
        return "{\"counters\":" + counters + ",\"sessions\":" + sessions + ",\"routes\":" + routes + "}";
    }

    static VineConfig parse(String[] args) {
        byte[] seed = HexFormat.of().parseHex(value(args, "--seed", null));
        VineConfig.Builder b = VineConfig.builder("vine-netns-test")
                .tunName("vine0")
                .tunAddress(value(args, "--tun-address", null))
                .localPrefix(value(args, "--prefix", null))
                .mtu(Integer.parseInt(value(args, "--mtu", "1400")))
                .identity(IdentitySource.seed(seed))
                .listen(Multiaddr.parse(value(args, "--listen", null)))
                .keepalive(Duration.ofMillis(500), Duration.ofMillis(Long.parseLong(value(args, "--keepalive-timeout", "3000"))))
                .redial(Duration.ofMillis(200), Duration.ofMillis(1000));
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--peer" -> {
                    String[] kv = args[++i].split("=", 2);
                    String[] prefix = kv[1].split(",", 2);
                    b.peer(PeerId.parse(kv[0]), prefix[0], prefix.length > 1 && prefix[1].equals("relay"));
                }
                case "--bootstrap" -> b.bootstrap(Multiaddr.parse(args[++i]));
                case "--relay" -> b.relay(true);
                case "--offload" -> b.offload(true);
                default -> { }
            }
        }
        return b.build();
    }

    static String value(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        if (fallback == null) {
            throw new IllegalArgumentException(name + ": missing");
        }
        return fallback;
    }

    /** The peer id of the Ed25519 key derived from {@code seed}. */
    static PeerId peerOf(byte[] seed) {
        return PeerId.fromPublicKey(Keys.ed25519FromSeed(seed.clone()).publicKey());
    }
}
