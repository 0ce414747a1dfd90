package io.vine.tun.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vine.core.peer.PeerId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Timeout;

/**
 * Three real vine nodes, alpha, beta and a relay, each in its own network namespace with a real TUN
 * device, in its own JVM ({@link NodeMain} under {@code ip netns exec}). Underlay: veth pairs
 * alpha-relay (10.0.1.0/24), beta-relay (10.0.2.0/24) and alpha-beta (10.0.3.0/24). Overlay:
 * alpha 10.42.1.1, beta 10.42.2.1, relay 10.42.9.1 (/16 on each device, a /24 owned by each).
 * Root only; skipped elsewhere. Namespaces and processes are removed after each test, also on failure.
 */
@Tag("root")
@Timeout(240)
class OverlayNetnsRootTest {
    private static final String BETA_PREFIX = "10.42.2.0/24";

    private Underlay underlay;
    private final List<NodeProcess> nodes = new ArrayList<>();
    private Path work;
    private String alphaNs;
    private String betaNs;
    private String relayNs;
    private NodeProcess alpha;
    private NodeProcess beta;
    private NodeProcess relay;
    private PeerId alphaId;
    private PeerId betaId;

    @BeforeEach
    void setUp() throws IOException {
        assumeTrue(Underlay.usable(), "netns overlay tests skipped: they need root (uid 0), /dev/net/tun and the ip command");
        work = Files.createTempDirectory("vine-netns");
        Underlay.sweepStale("vine-ov");
        underlay = new Underlay("vine-ov");
        alphaNs = underlay.namespace("alpha");
        betaNs = underlay.namespace("beta");
        relayNs = underlay.namespace("relay");
        underlay.link(alphaNs, "va-r", "10.0.1.1/24", relayNs, "vr-a", "10.0.1.2/24");
        underlay.link(betaNs, "vb-r", "10.0.2.1/24", relayNs, "vr-b", "10.0.2.2/24");
        underlay.link(alphaNs, "va-b", "10.0.3.1/24", betaNs, "vb-a", "10.0.3.2/24");
    }

    private void startNodes(String security, boolean offload) {
        byte[] aSeed = seed(), bSeed = seed(), rSeed = seed();
        alphaId = NodeMain.peerOf(aSeed);
        betaId = NodeMain.peerOf(bSeed);
        PeerId relayId = NodeMain.peerOf(rSeed);
        List<String> allow = List.of("--peer", alphaId + "=10.42.1.0/24", "--peer", betaId + "=" + BETA_PREFIX,
                "--peer", relayId + "=10.42.9.0/24,relay", "--security", security);
        List<String> flags = offload ? List.of("--offload") : List.of();

        relay = node("relay", relayNs, rSeed, "10.42.9.1/16", "10.42.9.0/24", allow, concat(flags, List.of("--relay")));
        assertThat(relay.awaitReady(60_000)).isEqualTo(relayId.toString());
        alpha = node("alpha", alphaNs, aSeed, "10.42.1.1/16", "10.42.1.0/24", allow, concat(flags, List.of(
                "--bootstrap", "/ip4/10.0.1.2/tcp/4001/p2p/" + relayId, "--bootstrap", "/ip4/10.0.3.2/tcp/4001/p2p/" + betaId)));
        beta = node("beta", betaNs, bSeed, "10.42.2.1/16", BETA_PREFIX, allow, concat(flags, List.of(
                "--bootstrap", "/ip4/10.0.2.2/tcp/4001/p2p/" + relayId, "--bootstrap", "/ip4/10.0.3.1/tcp/4001/p2p/" + alphaId)));
        assertThat(alpha.awaitReady(60_000)).isEqualTo(alphaId.toString());
        assertThat(beta.awaitReady(60_000)).isEqualTo(betaId.toString());
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private NodeProcess node(String name, String ns, byte[] seed, String tunAddress, String prefix, List<String> allow,
            List<String> extra) {
        List<String> args = new ArrayList<>(List.of("--seed", HexFormat.of().formatHex(seed), "--tun-address", tunAddress,
                "--prefix", prefix, "--listen", "/ip4/0.0.0.0/tcp/4001"));
        args.addAll(allow);
        args.addAll(extra);
        NodeProcess p = NodeProcess.start(name, ns, work, args);
        nodes.add(p);
        return p;
    }

    @AfterEach
    void tearDown() throws IOException {
        try {
            for (NodeProcess n : nodes) {
                n.close();
            }
            assertThat(nodes).noneMatch(NodeProcess::alive);
        } finally {
            if (underlay != null) {
                List<String> created = underlay.namespaces();
                underlay.close();
                String left = Underlay.run("ip", "netns", "list");
                assertThat(created).allSatisfy(ns -> assertThat(left).doesNotContain(ns));
            }
            if (work != null) {
                try (var files = Files.list(work)) {
                    for (Path f : files.toList()) {
                        Files.delete(f);
                    }
                }
                Files.delete(work);
            }
        }
    }

    @ParameterizedTest(name = "{0}, offload {1}")
    @CsvSource({"noise, false", "tls, true"})
    void pingAndTransferSurviveACutUnderlayThroughTheRelayAndArePromotedBack(String security, boolean offload) {
        startNodes(security, offload);
        try {
            cutAndHeal();
        } catch (AssertionError | RuntimeException e) {
            for (NodeProcess n : nodes) {
                System.out.println("---- " + n.name + " (last log lines)\n" + n.logText());
            }
            throw e;
        }
    }

    private void cutAndHeal() {
        long t0 = System.nanoTime();
        await("direct sessions alpha<->beta", 30_000, () -> "DIRECT".equals(alpha.diag().session(betaId.toString()))
                && "DIRECT".equals(beta.diag().session(alphaId.toString())));
        String route = alpha.diag().route(BETA_PREFIX);
        assertThat(route).startsWith(betaId + "@");
        log("direct sessions after %d ms", t0);

        assertThat(ping(alpha, "10.42.2.1")).as("ping alpha -> beta over the overlay").isTrue();
        assertThat(ping(beta, "10.42.1.1")).as("ping beta -> alpha over the overlay").isTrue();
        NodeProcess.Diag direct = alpha.diag();
        assertThat(direct.counter("packets_sent")).isPositive();
        assertThat(direct.counter("relay_usage")).isZero();
        assertThat(direct.counter("fallback_transitions")).isZero();

        // A paced TCP transfer from alpha's namespace to beta's overlay address.
        assertThat(beta.call("serve 10.42.2.1 5001")).startsWith("listening");
        assertThat(alpha.call("send 10.42.2.1 5001")).startsWith("connected");
        await("256 KiB over the direct path", 30_000, () -> served() >= 256 * 1024);

        long cut = System.nanoTime();
        Underlay.ip(alphaNs, "link", "set", "va-b", "down");
        await("alpha falls back to the relay", 60_000, () -> {
            NodeProcess.Diag d = alpha.diag();
            return "RELAY".equals(d.session(betaId.toString())) && d.counter("fallback_transitions") >= 1;
        });
        log("fallback %d ms after the cut", cut);
        long atFallback = served();
        long relayUsage = alpha.diag().counter("relay_usage");
        await("the transfer goes on through the relay", 60_000, () -> served() >= atFallback + 256 * 1024);
        log("transfer resumed over the relay %d ms after the cut", cut);
        assertThat(ping(alpha, "10.42.2.1")).as("ping over the relay").isTrue();
        NodeProcess.Diag relayed = alpha.diag();
        assertThat(relayed.counter("relay_usage")).isGreaterThan(relayUsage);
        assertThat(relayed.route(BETA_PREFIX)).as("route owner and epoch unchanged by the fallback").isEqualTo(route);
        assertThat(beta.diag().counter("fallback_transitions")).isPositive();

        long heal = System.nanoTime();
        Underlay.ip(alphaNs, "link", "set", "va-b", "up");
        // Back on a direct path: re-dialed (DIRECT) or won by a DCUtR hole punch over the relayed
        // connection (SIGNALING_ASSISTED), whichever comes first.
        await("the session is promoted back to a direct path", 60_000, () -> {
            NodeProcess.Diag d = alpha.diag();
            String path = d.session(betaId.toString());
            return ("DIRECT".equals(path) || "SIGNALING_ASSISTED".equals(path)) && d.counter("promotions") >= 1;
        });
        log("promoted %d ms after the link came back", heal);
        // Packets routed just before the promotion may still be written (and counted) just after it:
        // the baseline is taken once the transfer has moved on over the direct path.
        long promotedAt = served();
        await("the transfer moves on after the promotion", 60_000, () -> served() >= promotedAt + 64 * 1024);
        long afterPromotion = served();
        long relayAfterPromotion = alpha.diag().counter("relay_usage");
        await("the transfer goes on over the direct path", 60_000, () -> served() >= afterPromotion + 256 * 1024);
        NodeProcess.Diag promoted = alpha.diag();
        assertThat(promoted.counter("relay_usage")).as("no packets over the relay after promotion").isEqualTo(relayAfterPromotion);
        assertThat(promoted.route(BETA_PREFIX)).isEqualTo(route);

        alpha.call("finish");
        await("the client finished", 30_000, () -> alpha.call("sent").startsWith("done"));
        await("the server read to the end", 60_000, () -> !beta.call("served").startsWith("running"));
        String sent = alpha.call("sent").substring("done ".length());
        assertThat(beta.call("served")).as("every byte arrived, in order").isEqualTo("done " + sent);
        log("transfer done, %d ms in all, %s bytes", t0, sent.split(" ")[0]);
        System.out.println("alpha diagnostics: " + alpha.diag().json());
    }

    private long served() {
        String s = beta.call("served");
        assertThat(s).doesNotStartWith("failed");
        return Long.parseLong(s.split(" ")[1]);
    }

    private static boolean ping(NodeProcess from, String address) {
        for (int i = 0; i < 3; i++) {
            if (from.call("ping " + address + " 3000").startsWith("true")) {
                return true;
            }
        }
        return false;
    }

    private void await(String what, long millis, BooleanSupplier condition) {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                StringBuilder logs = new StringBuilder();
                for (NodeProcess n : nodes) {
                    logs.append("\n--- ").append(n.name).append(" ---\n").append(n.alive() ? n.diag().json() : "(dead)")
                            .append('\n').append(n.logText());
                }
                throw new AssertionError("not within " + millis + " ms: " + what + logs);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static void log(String format, long since, Object... more) {
        Object[] args = new Object[more.length + 1];
        System.arraycopy(more, 0, args, 1, more.length);
        args[0] = (System.nanoTime() - since) / 1_000_000;
        System.out.println("[netns] " + String.format(format, args));
    }

    private static byte[] seed() {
        byte[] s = new byte[32];
        new SecureRandom().nextBytes(s);
        return s;
    }

}
