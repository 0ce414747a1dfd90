package io.vine.benchmarks.overlay;

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
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

/**
 * One overlay node for the iperf benchmark, run inside a network namespace ({@code ip netns exec}).
 *
 * <pre>
 * OverlayNode id SEED_HEX                   prints the peer id of that seed and exits
 * OverlayNode run --seed hex --tun-address a/len --prefix p/len --listen multiaddr
 *     [--peer id=prefix]... [--bootstrap multiaddr]... [--security noise|tls] [--offload] [--mtu n]
 * </pre>
 *
 * {@code run} prints {@code READY <peer id>} once bootstrapped, then answers {@code diag} (counters and
 * session paths as one JSON line) and {@code path <peer>}; EOF on stdin stops the node.
 */
public final class OverlayNode {
    private OverlayNode() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("id")) {
            System.out.println(peerOf(args[1]));
            return;
        }
        if (args.length == 0 || !args[0].equals("run")) {
            System.err.println("usage: OverlayNode id SEED_HEX | OverlayNode run --seed hex --tun-address a/len --prefix p/len"
                    + " --listen multiaddr [--peer id=prefix]... [--bootstrap multiaddr]... [--security noise|tls] [--offload] [--mtu n]");
            System.exit(2);
        }
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        VineConfig config = config(args);
        boolean tls = "tls".equals(value(args, "--security", "noise"));
        try (VineNode node = VineNode.builder(config)
                .swarm(b -> b.transport(new TcpTransport()).security(tls ? new TlsSecurity() : new NoiseSecurity()).muxer(new Yamux()))
                .events(e -> System.err.println("event " + e))
                .build()) {
            node.init();
            node.start();
            node.bootstrap().get(30, TimeUnit.SECONDS);
            out.println("READY " + node.localPeer());
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                String[] cmd = line.trim().split("\\s+");
                switch (cmd[0]) {
                    case "diag" -> out.println(diag(node));
                    case "path" -> out.println(node.sessionPath(PeerId.parse(cmd[1])).map(Enum::name).orElse("NONE"));
                    default -> out.println("ERR command: " + cmd[0] + " (expected: diag, path <peer>)");
                }
            }
        }
        System.exit(0);
    }

    static String diag(VineNode node) {
        StringJoiner counters = new StringJoiner(",", "{", "}");
        for (Map.Entry<String, Long> c : node.diagnostics().counters().entrySet()) {
            counters.add("\"" + c.getKey() + "\":" + c.getValue());
        }
        StringJoiner sessions = new StringJoiner(",", "{", "}");
        for (PeerEntry e : node.config().allowlist()) {
            node.sessionPath(e.peer()).ifPresent(k -> sessions.add("\"" + e.peer() + "\":\"" + k + "\""));
        }
        return "{\"counters\":" + counters + ",\"sessions\":" + sessions + "}";
    }

    static VineConfig config(String[] args) {
        VineConfig.Builder b = VineConfig.builder("vine-iperf")
                .tunName("vine0")
                .tunAddress(value(args, "--tun-address", null))
                .localPrefix(value(args, "--prefix", null))
                .mtu(Integer.parseInt(value(args, "--mtu", "1420")))
                .identity(IdentitySource.seed(HexFormat.of().parseHex(value(args, "--seed", null))))
                .listen(Multiaddr.parse(value(args, "--listen", null)))
                .offload(java.util.Arrays.asList(args).contains("--offload"));
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--peer")) {
                String[] kv = args[++i].split("=", 2);
                b.peer(PeerId.parse(kv[0]), kv[1], false);
            } else if (args[i].equals("--bootstrap")) {
                b.bootstrap(Multiaddr.parse(args[++i]));
            }
        }
        return b.build();
    }

    private static String value(String[] args, String name, String fallback) {
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

    private static PeerId peerOf(String seedHex) {
        return PeerId.fromPublicKey(Keys.ed25519FromSeed(HexFormat.of().parseHex(seedHex)).publicKey());
    }
}
