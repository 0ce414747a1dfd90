package io.vine.cli;

import io.vine.core.Connection;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.protocol.identify.Identify;
import io.vine.protocol.identify.IdentifyInfo;
import io.vine.protocol.ping.Ping;
import io.vine.swarm.Swarm;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code vine demo}: the embedded default. Three nodes in one process on loopback TCP, told as a
 * short story: connect, identify, ping, a bulk transfer, a refused impostor.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Runs three vine nodes in this process on loopback and shows what they do.")
final class DemoCommand implements java.util.concurrent.Callable<Integer> {
    private static final long TIMEOUT_S = 20;

    @Spec
    CommandSpec spec;

    @Option(names = "--transfer-mib", paramLabel = "MIB", description = "Size of the bulk transfer (default: ${DEFAULT-VALUE}).")
    int transferMib = 256;

    @Override
    public Integer call() throws Exception {
        if (transferMib < 1 || transferMib > 4096) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--transfer-mib: " + transferMib + " (expected: 1 to 4096)");
        }
        PrintWriter out = spec.commandLine().getOut();
        long started = System.nanoTime();
        out.println("vine demo: three libp2p nodes in one process, on loopback TCP with noise and yamux");
        out.println();
        Map<String, Integer> alphaEvents = new ConcurrentHashMap<>();
        try (Swarm alpha = DemoNodes.node(); Swarm beta = DemoNodes.node(); Swarm gamma = DemoNodes.node()) {
            alpha.subscribe(e -> alphaEvents.merge(e.getClass().getSimpleName(), 1, Integer::sum));
            Multiaddr a = listen(alpha), b = listen(beta), g = listen(gamma);
            out.printf("  alpha  %s%n  beta   %s%n  gamma  %s%n%n", a, b, g);

            long t0 = System.nanoTime();
            Connection ab = alpha.dial(b).get(TIMEOUT_S, TimeUnit.SECONDS);
            out.printf("1. alpha dials beta: secured with %s, muxed with %s, in %.1f ms%n",
                    ab.security(), ab.muxer(), (System.nanoTime() - t0) / 1e6);
            IdentifyInfo info = Identify.identify(alpha, ab.remotePeer()).get(TIMEOUT_S, TimeUnit.SECONDS);
            out.printf("   identify: beta runs %s and speaks %s%n", info.agentVersion(), info.protocols());
            out.printf("   beta sees alpha at %s%n",
                    info.observedAddr().map(Multiaddr::toString).orElse("(not reported)"));
            List<Duration> rtts = Ping.ping(alpha, ab.remotePeer(), 3).get(TIMEOUT_S, TimeUnit.SECONDS);
            out.printf("   ping: %s%n", rtts.stream().map(d -> String.format("%.2f ms", d.toNanos() / 1e6)).toList());

            gamma.dial(a).get(TIMEOUT_S, TimeUnit.SECONDS);
            waitFor(() -> alpha.peerStore().agentVersion(gamma.localPeer()).isPresent());
            out.printf("%n2. gamma dials alpha; alpha's peer store now holds %d peers, gamma's agent: %s%n",
                    alpha.peerStore().peers().size(), alpha.peerStore().agentVersion(gamma.localPeer()).orElse("?"));

            long bytes = (long) transferMib << 20;
            DemoNodes.Transfer transfer = DemoNodes.send(alpha, beta.localPeer(), bytes).get(60, TimeUnit.SECONDS);
            out.printf("%n3. alpha streams %d MiB to beta on %s: beta counted %d bytes in %.2f s (%.2f Gbit/s)%n",
                    transferMib, DemoNodes.SINK, transfer.received(), transfer.seconds(),
                    transfer.received() * 8 / transfer.seconds() / 1e9);

            Multiaddr impostor = b.withPeerId(gamma.localPeer());
            try {
                alpha.dial(impostor, true).get(TIMEOUT_S, TimeUnit.SECONDS);
                out.println("\n4. UNEXPECTED: a dial to beta's address expecting gamma's id succeeded");
                return 1;
            } catch (Exception e) {
                out.printf("%n4. alpha dials beta's address expecting gamma's peer id: refused (%s)%n", Errors.describe(e));
            }

            out.printf("%n5. events alpha saw: %s%n", new java.util.TreeMap<>(alphaEvents));
        }
        out.printf("%ndone in %.1f s. The IP overlay (TUN devices, routes, relay fallback) is not built yet.%n",
                (System.nanoTime() - started) / 1e9);
        return 0;
    }

    private static Multiaddr listen(Swarm s) throws Exception {
        return s.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).get(TIMEOUT_S, TimeUnit.SECONDS).withPeerId(s.localPeer());
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }
}
