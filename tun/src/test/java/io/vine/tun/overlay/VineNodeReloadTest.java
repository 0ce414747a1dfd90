package io.vine.tun.overlay;

import static io.vine.tun.overlay.OverlayFixture.await;
import static io.vine.tun.overlay.OverlayFixture.bytes;
import static io.vine.tun.overlay.OverlayFixture.read;
import static io.vine.tun.overlay.OverlayFixture.udp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vine.core.Connection;
import io.vine.tun.IpPrefix;
import io.vine.tun.overlay.OverlayFixture.Member;
import io.vine.tun.overlay.OverlayFixture.Running;
import io.vine.tun.route.Route;
import io.vine.tun.session.PathKind;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** {@link VineNode#reload}: the allowlist and bootstrap peers change while the node runs. */
class VineNodeReloadTest {
    private static final String NET = "reload-overlay";

    @Test
    void reloadAdmitsANewPeerDisconnectsARemovedOneAndKeepsTheRestUntouched() throws Exception {
        Member alpha = OverlayFixture.member("alpha", 1, false);
        Member beta = OverlayFixture.member("beta", 2, false);
        Member gamma = OverlayFixture.member("gamma", 3, false);
        Member delta = OverlayFixture.member("delta", 4, false);
        try (OverlayFixture f = new OverlayFixture()) {
            Running b = f.start(beta, OverlayFixture.config(beta, NET, List.of(alpha, beta), List.of()).build());
            Running g = f.start(gamma, OverlayFixture.config(gamma, NET, List.of(alpha, gamma), List.of()).build());
            Running d = f.start(delta, OverlayFixture.config(delta, NET, List.of(alpha, delta), List.of()).build());
            Running a = f.start(alpha, OverlayFixture.config(alpha, NET, List.of(alpha, beta, gamma), List.of(beta, gamma)).build());
            a.node().bootstrap().join();
            awaitPath(a, beta, PathKind.DIRECT);
            awaitPath(a, gamma, PathKind.DIRECT);
            await(() -> a.node().routes().size() == 3, "alpha learns beta's and gamma's routes");
            // delta is not on alpha's allowlist yet: the strict allowlist refuses it
            d.node().swarm().dial(alpha.p2p(), true).handle((c, e) -> null).join();
            assertThat(a.node().swarm().connections(delta.id())).isEmpty();
            List<String> betaConnections = connectionIds(a, beta);
            assertThat(betaConnections).hasSize(1);
            int betaPathChanges = pathChanges(a, beta);

            VineConfig next = OverlayFixture.config(alpha, NET, List.of(alpha, beta, delta), List.of(beta, delta)).build();
            Reload r = a.node().reload(next).join();

            assertThat(r.added()).containsExactly(delta.id());
            assertThat(r.removed()).containsExactly(gamma.id());
            assertThat(r.changed()).isEmpty();
            assertThat(r.kept()).isEqualTo(1);
            assertThat(r.bootstrapChanged()).isTrue();
            assertThat(a.node().config()).isSameAs(next);
            // the new peer: dialed, admitted, its route learned, packets both ways
            awaitPath(a, delta, PathKind.DIRECT);
            await(() -> a.node().routes().stream().anyMatch(x -> x.owner().equals(delta.id())), "alpha learns delta's route");
            exchange(a, d);
            // the removed peer: disconnected, its route withdrawn, refused when it dials again
            await(() -> a.node().swarm().connections(gamma.id()).isEmpty(), "alpha drops gamma");
            assertThat(a.node().routes()).extracting(Route::owner).doesNotContain(gamma.id());
            assertThat(a.node().debugSnapshot().sessions()).extracting(DebugSnapshot.SessionView::peer)
                    .containsExactlyInAnyOrder(beta.id(), delta.id());
            g.node().swarm().dial(alpha.p2p(), true).handle((c, e) -> null).join();
            assertThat(a.node().swarm().connections(gamma.id())).isEmpty();
            // the unchanged peer: the same connection, no path change, packets still flow
            assertThat(connectionIds(a, beta)).isEqualTo(betaConnections);
            assertThat(pathChanges(a, beta)).isEqualTo(betaPathChanges);
            exchange(a, b);
            assertThat(a.events(VineEvent.Lifecycle.class)).anyMatch(e -> e.message().startsWith("reloaded: added [" + delta.id()));
        }
    }

    @Test
    void reloadThatNeedsARestartOrIsInvalidChangesNothing() {
        Member alpha = OverlayFixture.member("alpha", 1, false);
        Member beta = OverlayFixture.member("beta", 2, false);
        Member delta = OverlayFixture.member("delta", 4, false);
        try (OverlayFixture f = new OverlayFixture()) {
            Running b = f.start(beta, OverlayFixture.config(beta, NET, List.of(alpha, beta), List.of()).build());
            VineConfig first = OverlayFixture.config(alpha, NET, List.of(alpha, beta), List.of(beta)).build();
            Running a = f.start(alpha, first);
            a.node().bootstrap().join();
            awaitPath(a, beta, PathKind.DIRECT);
            List<String> before = connectionIds(a, beta);

            VineConfig restart = OverlayFixture.config(alpha, NET, List.of(alpha, beta, delta), List.of(beta)).mtu(1300)
                    .listen(io.vine.core.multiaddr.Multiaddr.parse("/memory/1")).build();
            assertThatThrownBy(() -> a.node().reload(restart).join()).isInstanceOf(CompletionException.class)
                    .cause().isInstanceOf(OverlayException.class)
                    .hasMessageContaining("mtu, listen changed, which only a restart applies (nothing applied)");
            // the local prefix given to another peer: refused
            VineConfig stolen = OverlayFixture.config(alpha, NET, List.of(beta), List.of(beta))
                    .peer(new PeerEntry(delta.id(), alpha.prefix(), false)).build();
            assertThatThrownBy(() -> a.node().reload(stolen).join()).cause().isInstanceOf(OverlayException.class)
                    .hasMessageContaining("owns " + alpha.prefix());
            // another identity: refused
            VineConfig other = OverlayFixture.config(alpha, NET, List.of(alpha, beta), List.of(beta))
                    .identity(IdentitySource.key(delta.key())).build();
            assertThatThrownBy(() -> a.node().reload(other).join()).cause().hasMessageContaining("identity changed");

            assertThat(a.node().config()).isSameAs(first);
            assertThat(a.node().debugSnapshot().peers()).extracting(DebugSnapshot.PeerView::peer)
                    .containsExactly(alpha.id(), beta.id());
            assertThat(connectionIds(a, beta)).isEqualTo(before);
            exchange(a, b);
        }
    }

    @Test
    void changedPrefixWithdrawsTheRoutesOutsideItAndKeepsTheSession() {
        Member alpha = OverlayFixture.member("alpha", 1, false);
        Member beta = OverlayFixture.member("beta", 2, false);
        try (OverlayFixture f = new OverlayFixture()) {
            f.start(beta, OverlayFixture.config(beta, NET, List.of(alpha, beta), List.of()).build());
            Running a = f.start(alpha, OverlayFixture.config(alpha, NET, List.of(alpha, beta), List.of(beta)).build());
            a.node().bootstrap().join();
            awaitPath(a, beta, PathKind.DIRECT);
            await(() -> a.node().routes().size() == 2, "alpha learns beta's route");
            List<String> before = connectionIds(a, beta);

            VineConfig next = OverlayFixture.config(alpha, NET, List.of(alpha), List.of(beta))
                    .peer(new PeerEntry(beta.id(), IpPrefix.parse("10.42.20.0/24"), true)).build();
            Reload r = a.node().reload(next).join();

            assertThat(r.changed()).containsExactly(beta.id());
            assertThat(r.bootstrapChanged()).isFalse();
            assertThat(a.node().routes()).extracting(Route::owner).containsExactly(alpha.id());
            assertThat(a.node().debugSnapshot().peers()).filteredOn(p -> p.peer().equals(beta.id()))
                    .singleElement().satisfies(p -> {
                        assertThat(p.prefix()).isEqualTo(IpPrefix.parse("10.42.20.0/24"));
                        assertThat(p.relay()).isTrue();
                    });
            assertThat(connectionIds(a, beta)).isEqualTo(before);
        }
    }

    @Test
    void turningTheAllowlistStrictDisconnectsStrangers() {
        Member alpha = OverlayFixture.member("alpha", 1, false);
        Member beta = OverlayFixture.member("beta", 2, false);
        Member stranger = OverlayFixture.member("stranger", 5, false);
        try (OverlayFixture f = new OverlayFixture()) {
            f.start(beta, OverlayFixture.config(beta, NET, List.of(alpha, beta), List.of()).build());
            Running s = f.start(stranger, OverlayFixture.config(stranger, NET, List.of(alpha, stranger), List.of()).build());
            Running a = f.start(alpha, OverlayFixture.config(alpha, NET, List.of(alpha, beta), List.of(beta))
                    .strictAllowlist(false).build());
            a.node().bootstrap().join();
            awaitPath(a, beta, PathKind.DIRECT);
            s.node().swarm().dial(alpha.p2p(), true).join();
            await(() -> !a.node().swarm().connections(stranger.id()).isEmpty(), "a lenient allowlist lets the stranger in");
            List<String> before = connectionIds(a, beta);

            Reload r = a.node().reload(OverlayFixture.config(alpha, NET, List.of(alpha, beta), List.of(beta)).build()).join();

            assertThat(r.strictChanged()).isTrue();
            assertThat(r.added()).isEmpty();
            assertThat(r.toString()).isEqualTo("added [], removed [], changed [], kept 1, strict allowlist changed");
            await(() -> a.node().swarm().connections(stranger.id()).isEmpty(), "the strict allowlist disconnects the stranger");
            s.node().swarm().dial(alpha.p2p(), true).handle((c, e) -> null).join();
            assertThat(a.node().swarm().connections(stranger.id())).isEmpty();
            assertThat(connectionIds(a, beta)).isEqualTo(before);
        }
    }

    private static List<String> connectionIds(Running n, Member peer) {
        return n.node().swarm().connections(peer.id()).stream().map(Connection::id).sorted().toList();
    }

    private static int pathChanges(Running n, Member peer) {
        return (int) n.events(VineEvent.PathChanged.class).stream().filter(e -> e.peer().equals(peer.id())).count();
    }

    private static void awaitPath(Running n, Member peer, PathKind kind) {
        await(() -> n.node().sessionPath(peer.id()).equals(Optional.of(kind)),
                n.member().name() + " has a " + kind + " session to " + peer.name());
    }

    private static void exchange(Running a, Running b) {
        ByteBuffer p = udp(a.member().host(1), b.member().host(1), "to " + b.member().name());
        a.host().write(p.duplicate());
        assertThat(read(b.host())).isEqualTo(bytes(p));
        ByteBuffer q = udp(b.member().host(1), a.member().host(1), "to " + a.member().name());
        b.host().write(q.duplicate());
        assertThat(read(a.host())).isEqualTo(bytes(q));
    }
}
