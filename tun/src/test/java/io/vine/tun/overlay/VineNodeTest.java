package io.vine.tun.overlay;

import static io.vine.tun.overlay.OverlayFixture.await;
import static io.vine.tun.overlay.OverlayFixture.bytes;
import static io.vine.tun.overlay.OverlayFixture.read;
import static io.vine.tun.overlay.OverlayFixture.udp;
import static org.assertj.core.api.Assertions.assertThat;

import io.vine.core.Connection;
import io.vine.core.Direction;
import io.vine.core.multiaddr.MultiaddrProtocol;
import io.vine.tun.overlay.OverlayFixture.Member;
import io.vine.tun.overlay.OverlayFixture.Running;
import io.vine.tun.route.Route;
import io.vine.tun.session.PathKind;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Several VineNodes in one JVM on the memory transport and in-memory TUN devices. */
class VineNodeTest {
    private static final String NET = "test-overlay";

    @Test
    void alphaAndBetaExchangePacketsTunToTun() {
        Member alpha = OverlayFixture.member("alpha", 1, false);
        Member beta = OverlayFixture.member("beta", 2, false);
        try (OverlayFixture f = new OverlayFixture()) {
            Running b = f.start(beta, OverlayFixture.config(beta, NET, List.of(alpha, beta), List.of()).build());
            Running a = f.start(alpha, OverlayFixture.config(alpha, NET, List.of(alpha, beta), List.of(beta)).build());
            List<VineEvent.Bootstrap> report = a.node().bootstrap().join();
            assertThat(report).anyMatch(e -> e.success() && e.target().equals(beta.p2p().toString()));
            awaitDirect(a, beta);
            awaitDirect(b, alpha);
            await(() -> a.node().routes().stream().anyMatch(r -> r.owner().equals(beta.id())), "alpha learns beta's route");
            await(() -> b.node().routes().stream().anyMatch(r -> r.owner().equals(alpha.id())), "beta learns alpha's route");

            ByteBuffer p = udp(alpha.host(1), beta.host(7), "hello beta");
            a.host().write(p.duplicate());
            assertThat(read(b.host())).isEqualTo(bytes(p));
            ByteBuffer back = udp(beta.host(7), alpha.host(1), "hello alpha");
            b.host().write(back.duplicate());
            assertThat(read(a.host())).isEqualTo(bytes(back));

            await(() -> a.node().diagnostics().get("packets_received") == 1, "alpha counts the packet it wrote");
            Diagnostics da = a.node().diagnostics();
            assertThat(da.get("packets_sent")).isEqualTo(1);
            assertThat(da.get("packets_received")).isEqualTo(1);
            assertThat(da.get("bytes_sent")).isEqualTo(p.remaining());
            assertThat(da.get("relay_usage")).isZero();
            assertThat(a.node().ping(beta.id()).join()).isPositive();

            DebugSnapshot snap = a.node().debugSnapshot();
            assertThat(snap.localPeer()).isEqualTo(alpha.id());
            assertThat(snap.routes()).extracting(Route::owner).containsExactlyInAnyOrder(alpha.id(), beta.id());
            assertThat(snap.sessions()).singleElement().satisfies(s -> assertThat(s.preferred()).contains(PathKind.DIRECT));
            assertThat(snap.peers()).allMatch(DebugSnapshot.PeerView::admitted);
            assertThat(a.events(VineEvent.Lifecycle.class)).extracting(VineEvent.Lifecycle::state)
                    .containsExactly(VineNode.State.INITIALIZED, VineNode.State.STARTED);
        }
    }

    @Test
    void alphaAndBetaExchangePacketsOverTcp() {
        Member alpha = OverlayFixture.member("alpha", 1, false);
        Member beta = OverlayFixture.member("beta", 2, false);
        io.vine.core.multiaddr.Multiaddr any = io.vine.core.multiaddr.Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
        try (OverlayFixture f = new OverlayFixture()) {
            VineConfig.Builder bc = VineConfig.builder(NET).tunName("beta").tunAddress("10.42.2.1/16").localPrefix(beta.prefix())
                    .identity(IdentitySource.key(beta.key())).listen(any).peer(alpha.entry()).peer(beta.entry());
            Running b = f.start(beta, bc.build());
            io.vine.core.multiaddr.Multiaddr betaTcp = b.node().swarm().listenAddresses().getFirst().withPeerId(beta.id());
            assertThat(betaTcp.toString()).startsWith("/ip4/127.0.0.1/tcp/");
            VineConfig.Builder ac = VineConfig.builder(NET).tunName("alpha").tunAddress("10.42.1.1/16").localPrefix(alpha.prefix())
                    .identity(IdentitySource.key(alpha.key())).listen(any).peer(alpha.entry()).peer(beta.entry()).bootstrap(betaTcp);
            Running a = f.start(alpha, ac.build());
            a.node().bootstrap().join();
            awaitDirect(a, beta);
            awaitDirect(b, alpha);
            await(() -> a.node().routes().size() == 2 && b.node().routes().size() == 2, "both learn both routes");
            for (int i = 0; i < 50; i++) {
                exchange(a, b, "tcp " + i);
            }
            await(() -> b.node().diagnostics().get("packets_received") == 50, "beta counts 50 packets");
        }
    }

    @Test
    void packetsWithoutRouteOrSessionAreDroppedAndCounted() {
        Member alpha = OverlayFixture.member("alpha", 1, false);
        Member beta = OverlayFixture.member("beta", 2, false);
        try (OverlayFixture f = new OverlayFixture()) {
            Running a = f.start(alpha, OverlayFixture.config(alpha, NET, List.of(alpha, beta), List.of()).build());
            io.netty.buffer.ByteBuf frame = io.netty.buffer.Unpooled.wrappedBuffer(udp(alpha.host(1),
                    java.net.InetAddress.ofLiteral("10.99.0.1"), "nowhere"));
            assertThat(a.node().sendPacket(frame)).contains(DropReason.UNKNOWN_ROUTE);
            frame.release();
            assertThat(a.node().diagnostics().get("route_misses")).isEqualTo(1);
            io.netty.buffer.ByteBuf junk = io.netty.buffer.Unpooled.wrappedBuffer(new byte[] {0x45, 0, 0});
            assertThat(a.node().sendPacket(junk)).contains(DropReason.MALFORMED);
            junk.release();
            // Beta's prefix has no route until beta announces it: an unknown route, not a missing session.
            a.host().write(udp(alpha.host(1), beta.host(1), "x"));
            await(() -> a.node().diagnostics().drops(DropReason.UNKNOWN_ROUTE) == 2, "the TUN reader counts the miss");
        }
    }

    @Test
    void directPathCutFallsBackToRelayThenIsPromotedBack() {
        Member relay = OverlayFixture.member("relay", 9, true);
        Member alpha = OverlayFixture.member("alpha", 1, false);
        Member beta = OverlayFixture.member("beta", 2, false);
        List<Member> all = List.of(relay, alpha, beta);
        try (OverlayFixture f = new OverlayFixture()) {
            Running r = f.start(relay, OverlayFixture.config(relay, NET, all, List.of()).build());
            // DCUtR off: this is about the plain re-dial finding the direct path again.
            Running b = f.start(beta, OverlayFixture.config(beta, NET, all, List.of(relay)).signalingUpgrade(false).build());
            b.node().bootstrap().join();
            Running a = f.start(alpha, OverlayFixture.config(alpha, NET, all, List.of(relay, beta)).signalingUpgrade(false).build());
            a.node().bootstrap().join();
            awaitDirect(a, beta);
            awaitDirect(b, alpha);
            await(() -> a.node().routes().stream().anyMatch(x -> x.owner().equals(beta.id())), "alpha learns beta's route");
            Route before = a.node().routes().stream().filter(x -> x.owner().equals(beta.id())).findFirst().orElseThrow();
            exchange(a, b, "direct");

            // Cut the direct path: ban it both ways and close the direct connections.
            a.gater().blocked.add(beta.id());
            b.gater().blocked.add(alpha.id());
            a.node().swarm().connections(beta.id()).stream()
                    .filter(c -> !c.remoteAddress().has(MultiaddrProtocol.P2P_CIRCUIT))
                    .forEach(Connection::close);
            await(() -> a.node().sessionPath(beta.id()).equals(Optional.of(PathKind.RELAY)), "alpha falls back to the relay");
            await(() -> b.node().sessionPath(alpha.id()).equals(Optional.of(PathKind.RELAY)), "beta falls back to the relay");
            exchange(a, b, "relayed");
            Diagnostics d = a.node().diagnostics();
            assertThat(d.get("fallback_transitions")).isGreaterThanOrEqualTo(1);
            assertThat(d.get("relay_usage")).isGreaterThanOrEqualTo(1);
            Route during = a.node().routes().stream().filter(x -> x.owner().equals(beta.id())).findFirst().orElseThrow();
            assertThat(during).isEqualTo(before);
            assertThat(a.events(VineEvent.PathChanged.class)).anyMatch(e -> e.to().equals(Optional.of(PathKind.RELAY)));

            // The direct path comes back: the re-dial finds it and the session is promoted.
            a.gater().blocked.clear();
            b.gater().blocked.clear();
            await(() -> a.node().sessionPath(beta.id()).equals(Optional.of(PathKind.DIRECT)), "alpha is promoted to direct");
            await(() -> b.node().sessionPath(alpha.id()).equals(Optional.of(PathKind.DIRECT)), "beta is promoted to direct");
            assertThat(a.node().diagnostics().get("promotions")).isGreaterThanOrEqualTo(1);
            long relayed = a.node().diagnostics().get("relay_usage");
            exchange(a, b, "direct again");
            assertThat(a.node().diagnostics().get("relay_usage")).isEqualTo(relayed);
            assertThat(a.node().routes().stream().filter(x -> x.owner().equals(beta.id())).findFirst()).contains(before);
            assertThat(r.node().diagnostics().get("packets_sent")).isZero();
        }
    }

    private static void exchange(Running a, Running b, String what) {
        ByteBuffer p = udp(a.member().host(1), b.member().host(1), "to beta " + what);
        a.host().write(p.duplicate());
        assertThat(read(b.host())).as(what + " alpha -> beta").isEqualTo(bytes(p));
        ByteBuffer q = udp(b.member().host(1), a.member().host(1), "to alpha " + what);
        b.host().write(q.duplicate());
        assertThat(read(a.host())).as(what + " beta -> alpha").isEqualTo(bytes(q));
    }

    private static void awaitDirect(Running n, Member peer) {
        await(() -> n.node().sessionPath(peer.id()).equals(Optional.of(PathKind.DIRECT)),
                n.member().name() + " has a direct session to " + peer.name());
    }

    @Test
    void stopIsIdempotentAndDiagnosticsStayReadable() {
        Member alpha = OverlayFixture.member("alpha", 1, false);
        try (OverlayFixture f = new OverlayFixture()) {
            Running a = f.start(alpha, OverlayFixture.config(alpha, NET, List.of(), List.of()).build());
            a.node().stop();
            a.node().stop();
            assertThat(a.node().state()).isEqualTo(VineNode.State.STOPPED);
            assertThat(a.node().diagnostics().get("packets_sent")).isZero();
            assertThat(a.node().bootstrap()).isCompletedExceptionally();
        }
    }

    /**
     * Both nodes dialed each other: both send on the connection that the node with the smaller peer id
     * dialed, even though the other node dialed first (each would otherwise keep the path it saw first).
     */
    @Test
    void withTwoDirectConnectionsBothNodesSendOnTheOneTheSmallerIdDialed() {
        Member one = OverlayFixture.member("alpha", 1, false);
        Member two = OverlayFixture.member("beta", 2, false);
        Member smaller = one.id().compareTo(two.id()) < 0 ? one : two;
        Member larger = smaller == one ? two : one;
        List<Member> all = List.of(one, two);
        try (OverlayFixture f = new OverlayFixture()) {
            Running s = f.start(smaller, OverlayFixture.config(smaller, NET, all, List.of()).build());
            Running l = f.start(larger, OverlayFixture.config(larger, NET, all, List.of(smaller)).build());
            l.node().bootstrap().join(); // the larger id dials first
            awaitDirect(l, smaller);
            awaitDirect(s, larger);
            s.node().swarm().dial(larger.p2p(), true).join();
            await(() -> preferredDirection(s, larger).equals(Optional.of(Direction.OUTBOUND)),
                    "the smaller id sends on the connection it dialed");
            await(() -> preferredDirection(l, smaller).equals(Optional.of(Direction.INBOUND)),
                    "the larger id sends on the same connection, which it accepted");
            assertThat(l.node().swarm().connections(smaller.id())).hasSize(2);
            exchange(l, s, "on the chosen connection");
        }
    }

    private static Optional<Direction> preferredDirection(Running n, Member peer) {
        Optional<String> id = n.node().debugSnapshot().sessions().stream().filter(v -> v.peer().equals(peer.id()))
                .flatMap(v -> v.paths().stream()).filter(DebugSnapshot.PathView::preferred)
                .map(DebugSnapshot.PathView::connectionId).findFirst();
        return id.flatMap(c -> n.node().swarm().connections(peer.id()).stream().filter(x -> x.id().equals(c))
                .map(Connection::direction).findFirst());
    }
}
