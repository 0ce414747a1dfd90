package io.vine.cli.demo;

import io.netty.channel.EventLoopGroup;
import io.vine.core.Connection;
import io.vine.core.multiaddr.MultiaddrProtocol;
import io.vine.tun.route.Route;
import io.vine.tun.session.PathKind;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The story {@code vine demo} tells: alpha, beta and gamma own a /24 each of 10.42.0.0/16, a relay
 * owns 10.42.254.0/24. Packets an application writes to a TUN device reach the owner of the
 * destination prefix: directly where a path exists, directly after a DCUtR hole punch coordinated
 * over the relay where only the relay knows both, through the relay where no direct path can form, and
 * through the relay again when a direct path dies, until it comes back.
 */
public final class OverlayDemo implements AutoCloseable {
    private static final long WAIT_MS = 15_000;

    private final PrintWriter out;
    private final EventLoopGroup io;
    private final DemoNode relay = new DemoNode("relay", 254, true);
    private final DemoNode alpha = new DemoNode("alpha", 0, false);
    private final DemoNode beta = new DemoNode("beta", 1, false);
    private final DemoNode gamma = new DemoNode("gamma", 2, false);
    private final List<DemoNode> all = List.of(relay, alpha, beta, gamma);
    private boolean ok = true;

    public OverlayDemo(PrintWriter out, EventLoopGroup io) {
        this.out = out;
        this.io = io;
    }

    /** Runs the four stories; false if one of them did not turn out as told. */
    public boolean run() {
        long started = System.nanoTime();
        out.println("vine demo: a four-node overlay in one process (userspace TUN devices, loopback TCP, noise, yamux)");
        out.println();
        // gamma can never reach alpha directly, as if both sat behind NATs that will not open.
        alpha.gater.unreachable.add(gamma.id);
        gamma.gater.unreachable.add(alpha.id);
        relay.start(all, List.of(), io);
        beta.start(all, List.of(relay), io);
        // gamma knows only the relay: it meets beta through it, and DCUtR then punches a direct path.
        gamma.start(all, List.of(relay), io);
        alpha.start(all, List.of(relay, beta, gamma), io);
        for (DemoNode n : all) {
            out.printf("  %-6s owns %-15s peer %s%n", n.name, n.prefix(), n.id);
        }
        out.println();

        story("1. alpha reaches beta directly", () -> {
            await(() -> alpha.path(beta).equals(Optional.of(PathKind.DIRECT)) && alpha.route(beta).isPresent(), "a direct session alpha -> beta");
            deliver(alpha, beta, "hello beta");
            out.printf("   path %s, overlay ping %.1f ms%n", alpha.path(beta).orElseThrow(), alpha.node().ping(beta.id).join().toNanos() / 1e6);
        });

        story("2. gamma reaches beta after signaling-assisted setup (neither knows the other's address)", () -> {
            await(() -> gamma.path(beta).equals(Optional.of(PathKind.SIGNALING_ASSISTED)) && gamma.route(beta).isPresent(),
                    "a signaling-assisted session gamma -> beta");
            deliver(gamma, beta, "hello beta, hole-punched");
            List<PathKind> history = gamma.pathHistory(beta);
            check(history.indexOf(PathKind.RELAY) >= 0 && history.indexOf(PathKind.RELAY) < history.lastIndexOf(PathKind.SIGNALING_ASSISTED),
                    "relayed first, then signaling-assisted");
            out.printf("   path %s (history %s); gamma signaling_upgrades=%d%n", gamma.path(beta).orElseThrow(),
                    history.stream().map(Enum::name).collect(java.util.stream.Collectors.joining(" -> ")),
                    gamma.counter("signaling_upgrades"));
        });

        story("3. gamma reaches alpha through the relay (no direct path can form)", () -> {
            // The session can be ready a moment before alpha's route announcement arrives on it.
            await(() -> gamma.path(alpha).equals(Optional.of(PathKind.RELAY)) && gamma.route(alpha).isPresent(),
                    "a relayed session gamma -> alpha, and alpha's route");
            deliver(gamma, alpha, "hello alpha, via the relay");
            out.printf("   path %s; gamma relay_usage=%d%n", gamma.path(alpha).orElseThrow(), gamma.counter("relay_usage"));
        });

        story("4. the direct path alpha-beta dies; alpha falls back to the relay, then is promoted back", () -> {
            Route before = route(alpha, beta);
            alpha.gater.unreachable.add(beta.id);
            beta.gater.unreachable.add(alpha.id);
            alpha.node().swarm().connections(beta.id).stream()
                    .filter(c -> !c.remoteAddress().has(MultiaddrProtocol.P2P_CIRCUIT))
                    .forEach(Connection::close);
            await(() -> alpha.path(beta).equals(Optional.of(PathKind.RELAY)), "alpha falling back to the relay");
            deliver(alpha, beta, "still here, via the relay");
            Route during = route(alpha, beta);
            out.printf("   path %s; fallback_transitions=%d relay_usage=%d; route %s still owned by beta: %s%n",
                    alpha.path(beta).orElseThrow(), alpha.counter("fallback_transitions"), alpha.counter("relay_usage"),
                    during.prefix(), during.owner().equals(before.owner()));
            check(during.owner().equals(beta.id), "route ownership unchanged");
            alpha.gater.unreachable.remove(beta.id);
            beta.gater.unreachable.remove(alpha.id);
            // The re-dial finds the direct path (DIRECT), unless a hole punch got there first (SIGNALING_ASSISTED).
            await(() -> alpha.path(beta).filter(k -> k != PathKind.RELAY).isPresent(), "alpha promoted back to direct");
            deliver(alpha, beta, "direct again");
            out.printf("   the direct path is back: path %s, promotions=%d%n", alpha.path(beta).orElseThrow(), alpha.counter("promotions"));
        });

        out.println("counters of alpha:");
        for (String name : List.of("packets_sent", "packets_received", "bytes_sent", "bytes_received", "route_misses",
                "session_failures", "fallback_transitions", "relay_usage", "promotions", "signaling_upgrades")) {
            out.printf("  %-22s %d%n", name, alpha.counter(name));
        }
        out.printf("%n%s in %.1f s%n", ok ? "done" : "FAILED", (System.nanoTime() - started) / 1e9);
        return ok;
    }

    private void story(String title, Runnable body) {
        out.println(title);
        try {
            body.run();
        } catch (RuntimeException e) {
            ok = false;
            out.println("   FAILED: " + e.getMessage());
        }
        out.println();
        out.flush();
    }

    private void deliver(DemoNode from, DemoNode to, String text) {
        String got = from.send(to, text);
        check(text.equals(got), "the packet from " + from.name + " reaches " + to.name + "'s TUN"
                + (got == null ? " (" + from.name + " " + from.drops() + ", " + to.name + " " + to.drops() + ")" : ""));
        out.printf("   %s's TUN -> %s's TUN: \"%s\"%n", from.name, to.name, got);
    }

    private static Route route(DemoNode on, DemoNode owner) {
        return on.route(owner).orElseThrow(() -> new IllegalStateException(on.name + " has no route to " + owner.name));
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException(what + ": not so");
        }
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    @Override
    public void close() {
        all.reversed().forEach(DemoNode::stop);
    }
}
