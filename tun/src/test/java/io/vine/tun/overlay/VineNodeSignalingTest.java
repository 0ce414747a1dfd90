package io.vine.tun.overlay;

import static io.vine.tun.overlay.OverlayFixture.await;
import static io.vine.tun.overlay.OverlayFixture.bytes;
import static io.vine.tun.overlay.OverlayFixture.read;
import static io.vine.tun.overlay.OverlayFixture.udp;
import static org.assertj.core.api.Assertions.assertThat;

import io.vine.core.Connection;
import io.vine.core.multiaddr.MultiaddrProtocol;
import io.vine.tun.overlay.OverlayFixture.Member;
import io.vine.tun.overlay.OverlayFixture.Running;
import io.vine.tun.session.PathKind;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.muxer.yamux.Yamux;
import io.vine.security.noise.NoiseSecurity;
import io.vine.transport.tcp.TcpConfig;
import io.vine.transport.tcp.TcpTransport;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Gamma and beta know only the relay's address: their session starts relayed, then DCUtR (run by the
 * peer that received the relayed connection) learns the addresses and punches a direct connection,
 * which becomes the session's SIGNALING_ASSISTED path.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VineNodeSignalingTest {
    private static final String NET = "test-overlay";

    @Test
    void relayedSessionIsUpgradedBySignaling() {
        Member relay = OverlayFixture.member("relay", 9, true);
        Member beta = OverlayFixture.member("beta", 2, false);
        Member gamma = OverlayFixture.member("gamma", 3, false);
        List<Member> all = List.of(relay, beta, gamma);
        try (OverlayFixture f = new OverlayFixture()) {
            Running r = f.start(relay, OverlayFixture.config(relay, NET, all, List.of()).build());
            Running b = f.start(beta, OverlayFixture.config(beta, NET, all, List.of(relay)).build());
            b.node().bootstrap().join();
            Running g = f.start(gamma, OverlayFixture.config(gamma, NET, all, List.of(relay)).build());
            g.node().bootstrap().join();

            await(() -> g.node().sessionPath(beta.id()).equals(Optional.of(PathKind.SIGNALING_ASSISTED)),
                    "gamma's session to beta is upgraded by signaling");
            await(() -> b.node().sessionPath(gamma.id()).equals(Optional.of(PathKind.SIGNALING_ASSISTED)),
                    "beta's session to gamma is upgraded by signaling");
            // Relayed first, then the hole-punched path: announced as a path change, counted.
            assertThat(g.events(VineEvent.PathChanged.class)).filteredOn(e -> e.peer().equals(beta.id()))
                    .extracting(VineEvent.PathChanged::to)
                    .containsSubsequence(Optional.of(PathKind.RELAY), Optional.of(PathKind.SIGNALING_ASSISTED));
            assertThat(g.node().diagnostics().get("signaling_upgrades")).isEqualTo(1);
            assertThat(b.node().diagnostics().get("signaling_upgrades")).isEqualTo(1);
            assertThat(g.node().diagnostics().get("promotions")).isGreaterThanOrEqualTo(1);
            // The relayed connections are closed once the direct one carries the session.
            await(() -> g.node().swarm().connections(beta.id()).stream()
                    .noneMatch(c -> c.isOpen() && c.remoteAddress().has(MultiaddrProtocol.P2P_CIRCUIT)), "the relayed path closes");
            assertThat(g.node().swarm().connections(beta.id())).anyMatch(Connection::isOpen);

            await(() -> g.node().routes().stream().anyMatch(x -> x.owner().equals(beta.id())), "gamma learns beta's route");
            await(() -> b.node().routes().stream().anyMatch(x -> x.owner().equals(gamma.id())), "beta learns gamma's route");
            long relayedBefore = g.node().diagnostics().get("relay_usage");
            ByteBuffer p = udp(gamma.host(1), beta.host(1), "to beta after signaling");
            g.host().write(p.duplicate());
            assertThat(read(b.host())).isEqualTo(bytes(p));
            ByteBuffer back = udp(beta.host(1), gamma.host(1), "to gamma after signaling");
            b.host().write(back.duplicate());
            assertThat(read(g.host())).isEqualTo(bytes(back));
            assertThat(g.node().diagnostics().get("relay_usage")).isEqualTo(relayedBefore);
            assertThat(g.node().debugSnapshot().sessions()).filteredOn(s -> s.peer().equals(beta.id()))
                    .singleElement().satisfies(s -> assertThat(s.preferred()).contains(PathKind.SIGNALING_ASSISTED));
            assertThat(r.node().diagnostics().get("packets_sent")).isZero();
        }
    }

    @Test
    void overLoopbackTcpWithReusePortTheHolePunchWins() throws Exception {
        Member relay = tcp(OverlayFixture.member("relay", 9, true));
        Member beta = tcp(OverlayFixture.member("beta", 2, false));
        Member gamma = tcp(OverlayFixture.member("gamma", 3, false));
        List<Member> all = List.of(relay, beta, gamma);
        Consumer<VineNode.Builder> reusePort = n -> n.swarm(s -> s.ioGroup(OverlayFixture.IO)
                .transport(new TcpTransport(TcpConfig.DEFAULT.withReusePort(true))).security(new NoiseSecurity()).muxer(new Yamux()));
        try (OverlayFixture f = new OverlayFixture()) {
            f.start(relay, OverlayFixture.config(relay, NET, all, List.of()).build(), reusePort);
            Running b = f.start(beta, OverlayFixture.config(beta, NET, all, List.of(relay)).build(), reusePort);
            b.node().bootstrap().join();
            Running g = f.start(gamma, OverlayFixture.config(gamma, NET, all, List.of(relay)).build(), reusePort);
            g.node().bootstrap().join();
            await(() -> g.node().sessionPath(beta.id()).equals(Optional.of(PathKind.SIGNALING_ASSISTED)),
                    "gamma's session to beta is upgraded by signaling over TCP");
            await(() -> g.node().routes().stream().anyMatch(x -> x.owner().equals(beta.id())), "gamma learns beta's route");
            ByteBuffer p = udp(gamma.host(1), beta.host(1), "over tcp after signaling");
            g.host().write(p.duplicate());
            assertThat(read(b.host())).isEqualTo(bytes(p));
            assertThat(g.node().diagnostics().get("signaling_upgrades")).isEqualTo(1);
        }
    }

    /** {@code m} listening on a free loopback TCP port instead of the memory transport. */
    private static Member tcp(Member m) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        return new Member(m.name(), m.key(), m.id(), Multiaddr.parse("/ip4/127.0.0.1/tcp/" + port), m.index(), m.relay());
    }

    @Test
    void withSignalingUpgradeOffTheSessionStaysRelayed() {
        Member relay = OverlayFixture.member("relay", 9, true);
        Member beta = OverlayFixture.member("beta", 2, false);
        Member gamma = OverlayFixture.member("gamma", 3, false);
        List<Member> all = List.of(relay, beta, gamma);
        try (OverlayFixture f = new OverlayFixture()) {
            f.start(relay, OverlayFixture.config(relay, NET, all, List.of()).build());
            Running b = f.start(beta, OverlayFixture.config(beta, NET, all, List.of(relay)).signalingUpgrade(false).build());
            b.node().bootstrap().join();
            Running g = f.start(gamma, OverlayFixture.config(gamma, NET, all, List.of(relay)).signalingUpgrade(false).build());
            g.node().bootstrap().join();
            await(() -> g.node().sessionPath(beta.id()).equals(Optional.of(PathKind.RELAY)), "gamma reaches beta through the relay");
            await(() -> g.node().routes().stream().anyMatch(x -> x.owner().equals(beta.id())), "gamma learns beta's route");
            ByteBuffer p = udp(gamma.host(1), beta.host(1), "relayed");
            g.host().write(p.duplicate());
            assertThat(read(b.host())).isEqualTo(bytes(p));
            assertThat(g.node().sessionPath(beta.id())).contains(PathKind.RELAY);
            assertThat(g.node().diagnostics().get("signaling_upgrades")).isZero();
            assertThat(g.node().diagnostics().get("relay_usage")).isGreaterThanOrEqualTo(1);
        }
    }
}
