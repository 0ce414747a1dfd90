package io.vine.tun.overlay;

import static io.vine.tun.overlay.OverlayFixture.await;
import static io.vine.tun.overlay.OverlayFixture.bytes;
import static io.vine.tun.overlay.OverlayFixture.read;
import static io.vine.tun.overlay.OverlayFixture.udp;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.vine.core.multiformats.Varint;
import io.vine.tun.IpPrefix;
import io.vine.tun.control.ControlMessage;
import io.vine.tun.overlay.OverlayFixture.Member;
import io.vine.tun.overlay.OverlayFixture.Running;
import io.vine.tun.route.Route;
import io.vine.tun.route.RouteUpdate;
import io.vine.tun.session.PathKind;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Refusals and hostile input: other networks, foreign prefix claims, stale epochs, spoofed and malformed packets, floods. */
class VineNodeBadInputTest {
    private static final String NET = "test-overlay";

    @Test
    void aPeerOfAnotherNetworkIsRefusedWithTheReason() {
        Member alpha = OverlayFixture.member("alpha", 1, false);
        Member gamma = OverlayFixture.member("gamma", 3, false);
        try (OverlayFixture f = new OverlayFixture()) {
            Running g = f.start(gamma, OverlayFixture.config(gamma, "other-overlay", List.of(alpha, gamma), List.of()).build());
            Running a = f.start(alpha, OverlayFixture.config(alpha, NET, List.of(alpha, gamma), List.of(gamma)).build());
            a.node().bootstrap().join();
            await(() -> !a.events(VineEvent.PeerRefused.class).isEmpty(), "alpha refuses gamma");
            assertThat(a.events(VineEvent.PeerRefused.class).getFirst().reason())
                    .isEqualTo("network id 'other-overlay' (expected: 'test-overlay')");
            // Gamma refuses alpha too if alpha's hello reached it before alpha closed the connection: a race.
            await(() -> g.node().swarm().connections(alpha.id()).isEmpty(), "the connection is closed on gamma's side");
            assertThat(g.node().sessionPath(alpha.id())).isEmpty();
            assertThat(a.node().sessionPath(gamma.id())).isEmpty();
            assertThat(a.node().debugSnapshot().peers()).filteredOn(p -> p.peer().equals(gamma.id())).singleElement()
                    .satisfies(p -> assertThat(p.refused()).contains("network id 'other-overlay' (expected: 'test-overlay')"));
            assertThat(a.node().routes()).extracting(Route::owner).containsExactly(alpha.id());
            assertThat(a.node().diagnostics().get("refused_peers")).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void aPrefixClaimOutsideTheAllowlistIsRefused() {
        Member alpha = OverlayFixture.member("alpha", 1, false);
        Member beta = OverlayFixture.member("beta", 2, false);
        Member liar = new Member("beta", beta.key(), beta.id(), beta.address(), 9, false);
        try (OverlayFixture f = new OverlayFixture()) {
            // beta owns 10.42.9.0/24 by its own config; alpha's allowlist gives it 10.42.2.0/24.
            f.start(liar, OverlayFixture.config(liar, NET, List.of(alpha), List.of()).build());
            Running a = f.start(alpha, OverlayFixture.config(alpha, NET, List.of(alpha, beta), List.of(beta)).build());
            a.node().bootstrap().join();
            await(() -> !a.events(VineEvent.PeerRefused.class).isEmpty(), "alpha refuses beta's claim");
            assertThat(a.events(VineEvent.PeerRefused.class).getFirst().reason())
                    .isEqualTo("claims 10.42.9.0/24 but the allowlist gives it 10.42.2.0/24");
            assertThat(a.node().routes()).extracting(Route::owner).containsExactly(alpha.id());
        }
    }

    @Test
    void aPeerNotOnTheAllowlistIsDisconnectedAfterTheHandshake() {
        Member alpha = OverlayFixture.member("alpha", 1, false);
        Member stranger = OverlayFixture.member("stranger", 5, false);
        try (OverlayFixture f = new OverlayFixture(); RawPeer raw = new RawPeer(stranger.key())) {
            Running a = f.start(alpha, OverlayFixture.config(alpha, NET, List.of(alpha), List.of()).build());
            // The dialer may see its side of the upgrade finish; alpha closes the connection right after the handshake.
            raw.swarm.dial(alpha.p2p()).handle((c, e) -> null).join();
            await(() -> raw.swarm.connections(alpha.id()).isEmpty(), "the stranger's connection is closed");
            assertThat(a.node().swarm().connections(stranger.id())).isEmpty();
            assertThat(a.node().debugSnapshot().sessions()).isEmpty();
        }
    }

    @Test
    void staleEpochsLoseAndWithdrawRemoves() {
        Member alpha = OverlayFixture.member("alpha", 1, false);
        Member mallory = OverlayFixture.member("mallory", 3, false);
        try (OverlayFixture f = new OverlayFixture(); RawPeer raw = new RawPeer(mallory.key())) {
            Running a = f.start(alpha, OverlayFixture.config(alpha, NET, List.of(alpha, mallory), List.of()).build());
            raw.connect(alpha.p2p());
            IpPrefix prefix = mallory.prefix();
            raw.send(new ControlMessage.Hello(NET, 1, Set.of()));
            raw.send(new ControlMessage.Announce(prefix, 10));
            raw.send(new ControlMessage.Announce(prefix, 5));
            raw.send(new ControlMessage.Withdraw(prefix, 7));
            await(() -> a.node().diagnostics().get("stale_updates") == 2, "two stale updates counted");
            assertThat(a.node().routes()).contains(new Route(prefix, mallory.id(), 10));
            raw.send(new ControlMessage.Announce(prefix, 11));
            await(() -> a.node().routes().contains(new Route(prefix, mallory.id(), 11)), "a newer epoch refreshes");
            raw.send(new ControlMessage.Withdraw(prefix, 12));
            await(() -> a.node().routes().stream().noneMatch(r -> r.owner().equals(mallory.id())), "the withdraw removes");
            raw.send(new ControlMessage.Announce(prefix, 12));
            await(() -> a.node().diagnostics().get("stale_updates") == 3, "an announce older than the withdraw loses");
            assertThat(a.events(VineEvent.RouteChanged.class)).extracting(VineEvent.RouteChanged::result)
                    .containsExactly(RouteUpdate.ADDED, RouteUpdate.STALE, RouteUpdate.STALE, RouteUpdate.REFRESHED,
                            RouteUpdate.REMOVED, RouteUpdate.STALE);
        }
    }

    @Test
    void spoofedMalformedAndOversizedPacketsAreDroppedByReasonAndAGoodOnePasses() {
        Member alpha = OverlayFixture.member("alpha", 1, false);
        Member mallory = OverlayFixture.member("mallory", 3, false);
        try (OverlayFixture f = new OverlayFixture(); RawPeer raw = new RawPeer(mallory.key())) {
            Running a = f.start(alpha, OverlayFixture.config(alpha, NET, List.of(alpha, mallory), List.of()).build());
            raw.connect(alpha.p2p());
            // Before hello: not admitted.
            raw.packet(bytes(udp(mallory.host(1), alpha.host(1), "early")));
            await(() -> a.node().diagnostics().drops(DropReason.UNAUTHORIZED_PEER) == 1, "unauthorized drop");
            raw.send(new ControlMessage.Hello(NET, 1, Set.of()));
            await(() -> a.node().debugSnapshot().peers().stream().anyMatch(p -> p.peer().equals(mallory.id()) && p.admitted()),
                    "mallory admitted");

            raw.packet(bytes(udp(InetAddress.ofLiteral("10.42.7.1"), alpha.host(1), "spoofed")));
            raw.packet(bytes(udp(mallory.host(1), InetAddress.ofLiteral("10.42.8.1"), "elsewhere")));
            byte[] good = bytes(udp(mallory.host(1), alpha.host(1), "good"));
            raw.packet(Arrays.copyOf(good, good.length - 3));
            raw.packet(new byte[] {0x15, 1, 2, 3});
            raw.packet(new byte[2000]);
            raw.raw(Varint.write(Unpooled.buffer(), 0));
            raw.packet(good);
            assertThat(read(a.host())).isEqualTo(good);
            Diagnostics d = a.node().diagnostics();
            assertThat(d.drops(DropReason.SPOOFED_SOURCE)).isEqualTo(1);
            assertThat(d.drops(DropReason.FOREIGN_DESTINATION)).isEqualTo(1);
            assertThat(d.drops(DropReason.MALFORMED)).isEqualTo(3);
            assertThat(d.drops(DropReason.OVERSIZED)).isEqualTo(1);
            await(() -> a.node().diagnostics().get("packets_received") == 1, "the good packet is counted");
        }
    }

    @Test
    void aFloodOfGarbageFromOnePeerLeavesOthersUnaffected() {
        Member alpha = OverlayFixture.member("alpha", 1, false);
        Member beta = OverlayFixture.member("beta", 2, false);
        Member mallory = OverlayFixture.member("mallory", 3, false);
        List<Member> all = List.of(alpha, beta, mallory);
        try (OverlayFixture f = new OverlayFixture(); RawPeer raw = new RawPeer(mallory.key())) {
            Running b = f.start(beta, OverlayFixture.config(beta, NET, all, List.of()).build());
            Running a = f.start(alpha, OverlayFixture.config(alpha, NET, all, List.of(beta)).build());
            a.node().bootstrap().join();
            await(() -> b.node().sessionPath(alpha.id()).equals(Optional.of(PathKind.DIRECT)), "beta's session to alpha");
            await(() -> b.node().routes().size() == 2, "beta learns alpha's route");
            raw.connect(alpha.p2p());
            raw.send(new ControlMessage.Hello(NET, 1, Set.of()));
            // Packets before the hello is processed would count as unauthorized, not as the flood's drops.
            await(() -> a.node().debugSnapshot().peers().stream()
                    .anyMatch(p -> p.peer().equals(mallory.id()) && p.admitted()), "mallory admitted");
            byte[] spoofed = bytes(udp(InetAddress.ofLiteral("10.42.2.9"), alpha.host(1), "flood"));
            int flood = 5000;
            Thread flooder = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < flood; i++) {
                    raw.packet(i % 2 == 0 ? spoofed : new byte[] {(byte) 0x45, 0, 0, 9});
                }
            });
            byte[] fromBeta = bytes(udp(beta.host(1), alpha.host(1), "still here"));
            b.host().write(java.nio.ByteBuffer.wrap(fromBeta));
            assertThat(read(a.host())).isEqualTo(fromBeta);
            try {
                flooder.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            await(() -> a.node().diagnostics().drops(DropReason.SPOOFED_SOURCE)
                    + a.node().diagnostics().drops(DropReason.MALFORMED) == flood, "every flood packet counted");
            assertThat(a.node().diagnostics().get("packets_received")).isEqualTo(1);
            assertThat(a.node().sessionPath(beta.id())).contains(PathKind.DIRECT);
        }
    }

    @Test
    void cleanupStaleSessionClosesPathsThatCannotCarryPackets() {
        Member alpha = OverlayFixture.member("alpha", 1, false);
        Member mallory = OverlayFixture.member("mallory", 3, false);
        try (OverlayFixture f = new OverlayFixture(); RawPeer raw = new RawPeer(mallory.key())) {
            Running a = f.start(alpha, OverlayFixture.config(alpha, NET, List.of(alpha, mallory), List.of()).build());
            raw.connect(alpha.p2p());
            // Mallory takes alpha's streams but never says hello: the path is not ready.
            await(() -> a.node().debugSnapshot().sessions().getFirst().paths().size() == 1, "alpha has a path to mallory");
            assertThat(a.node().sessionPath(mallory.id())).isEmpty();
            assertThat(a.node().cleanupStaleSession(mallory.id()).join()).isEqualTo(1);
            await(() -> raw.swarm.connections(alpha.id()).isEmpty(), "the stale connection is closed");
            // Alpha learns of every close on its own loop, a moment after mallory's side.
            await(() -> a.node().debugSnapshot().sessions().getFirst().paths().isEmpty(), "alpha forgets the paths");
        }
    }

    @Test
    void aPathWhoseStreamsCannotOpenIsClosedAndCounted() {
        Member alpha = OverlayFixture.member("alpha", 1, false);
        Member mallory = OverlayFixture.member("mallory", 3, false);
        try (OverlayFixture f = new OverlayFixture(); RawPeer raw = new RawPeer(mallory.key(), false)) {
            Running a = f.start(alpha, OverlayFixture.config(alpha, NET, List.of(alpha, mallory), List.of()).build());
            raw.swarm.dial(alpha.p2p()).orTimeout(10, TimeUnit.SECONDS).join();
            // Mallory serves neither overlay protocol, so alpha's own streams cannot open: a path that
            // could never carry packets is closed (it would otherwise hold off the re-dial) and counted.
            await(() -> raw.swarm.connections(alpha.id()).isEmpty(), "alpha closes the path it cannot use");
            await(() -> a.node().debugSnapshot().sessions().getFirst().paths().isEmpty(), "alpha forgets the path");
            assertThat(a.node().diagnostics().get("session_failures")).isGreaterThanOrEqualTo(1);
            assertThat(a.events(VineEvent.PathFailed.class)).anySatisfy(e -> assertThat(e.detail()).contains("stream"));
        }
    }
}
