package io.vine.swarm;

import static io.vine.swarm.Net.await;
import static io.vine.swarm.Net.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vine.core.Connection;
import io.vine.core.DialException;
import io.vine.core.Direction;
import io.vine.core.LimitExceededException;
import io.vine.core.PeerIdMismatchException;
import io.vine.core.SwarmEvent;
import io.vine.core.crypto.Keys;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.peer.PeerId;
import io.vine.muxer.yamux.Yamux;
import io.vine.security.noise.NoiseSecurity;
import io.vine.testkit.TestSwarms;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SwarmConnectionTest {

    @ParameterizedTest
    @EnumSource(Net.class)
    void twoSwarmsConnectAndAgreeOnWhoIsWho(Net net) {
        try (Swarm a = net.swarm(); Swarm b = net.swarm()) {
            Connection c = TestSwarms.connect(a, b);
            assertThat(c.remotePeer()).isEqualTo(b.localPeer());
            assertThat(c.localPeer()).isEqualTo(a.localPeer());
            assertThat(c.remotePublicKey()).isEqualTo(b.privateKey().publicKey());
            assertThat(c.direction()).isEqualTo(Direction.OUTBOUND);
            assertThat(c.security()).isEqualTo(NoiseSecurity.PROTOCOL_ID);
            assertThat(c.muxer()).isEqualTo(Yamux.PROTOCOL_ID);
            assertThat(c.remoteAddress()).isEqualTo(b.listenAddresses().get(0));
            assertThat(c.isOpen()).isTrue();

            Connection other = b.connections(a.localPeer()).get(0);
            assertThat(other.direction()).isEqualTo(Direction.INBOUND);
            assertThat(other.remotePeer()).isEqualTo(a.localPeer());
            assertThat(other.remoteAddress()).isEqualTo(c.localAddress());
            assertThat(other.localAddress()).isEqualTo(c.remoteAddress());
            // The dialer learned the address it reached the peer at.
            assertThat(a.peerStore().addresses(b.localPeer())).contains(b.listenAddresses().get(0));
        }
    }

    @ParameterizedTest
    @EnumSource(Net.class)
    void theDialedPeerIdIsChecked(Net net) {
        try (Swarm a = net.swarm(); Swarm b = net.swarm()) {
            PeerId someoneElse = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
            Multiaddr wrong = b.listenAddresses().get(0).withPeerId(someoneElse);
            assertThatThrownBy(() -> await(a.dial(wrong))).isInstanceOf(CompletionException.class)
                    .cause().isInstanceOfSatisfying(PeerIdMismatchException.class, e -> {
                        assertThat(e.expected()).isEqualTo(someoneElse);
                        assertThat(e.actual()).isEqualTo(b.localPeer());
                    });
            assertThat(a.connections()).isEmpty();
            eventually("b drops the refused connection", () -> b.connections().isEmpty());

            Multiaddr self = b.listenAddresses().get(0).withPeerId(a.localPeer());
            assertThatThrownBy(() -> await(a.dial(self))).cause().isInstanceOf(DialException.class)
                    .hasMessageContaining("self");
        }
    }

    @ParameterizedTest
    @EnumSource(Net.class)
    void connectionsAreReusedUnlessANewOneIsAsked(Net net) {
        try (Swarm a = net.swarm(); Swarm b = net.swarm()) {
            Connection first = TestSwarms.connect(a, b);
            Connection again = await(a.dial(TestSwarms.address(b)));
            assertThat(again).isSameAs(first);
            assertThat(await(a.dial(b.localPeer(), false))).isSameAs(first);
            Connection fresh = await(a.dial(TestSwarms.address(b), true));
            assertThat(fresh).isNotSameAs(first);
            assertThat(fresh.id()).isNotEqualTo(first.id());
            assertThat(a.connections(b.localPeer())).containsExactlyInAnyOrder(first, fresh);
            eventually("b registers both", () -> b.connections(a.localPeer()).size() == 2);
            // The newest open connection is the one reused.
            assertThat(await(a.dial(TestSwarms.address(b)))).isSameAs(fresh);
            await(fresh.close());
            eventually("both sides forget the closed one", () -> a.connections(b.localPeer()).size() == 1
                    && b.connections(a.localPeer()).size() == 1);
            assertThat(await(a.dial(TestSwarms.address(b)))).isSameAs(first);
        }
    }

    @ParameterizedTest
    @EnumSource(Net.class)
    void perPeerLimitRefusesAnotherConnection(Net net) {
        SwarmLimits one = SwarmLimits.DEFAULT.withMaxConnectionsPerPeer(1);
        try (Swarm a = net.swarm(x -> x.limits(one)); Swarm b = net.swarm()) {
            TestSwarms.connect(a, b);
            assertThatThrownBy(() -> await(a.dial(TestSwarms.address(b), true))).isInstanceOf(CompletionException.class)
                    .satisfies(e -> assertThat(causes(e)).anyMatch(LimitExceededException.class::isInstance));
            assertThat(a.connections(b.localPeer())).hasSize(1);
            eventually("b keeps one connection", () -> b.connections(a.localPeer()).size() == 1);
        }
    }

    @ParameterizedTest
    @EnumSource(Net.class)
    void perPeerLimitAlsoHoldsForInboundConnections(Net net) {
        SwarmLimits one = SwarmLimits.DEFAULT.withMaxConnectionsPerPeer(1);
        try (Swarm a = net.swarm(); Swarm b = net.swarm(x -> x.limits(one))) {
            TestSwarms.connect(a, b);
            a.dial(TestSwarms.address(b), true).exceptionally(e -> null);
            eventually("b refused the second, a saw it closed", () -> a.connections(b.localPeer()).size() == 1);
            assertThat(b.connections(a.localPeer())).hasSize(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Net.class)
    void totalLimitRefusesAConnectionToAnotherPeer(Net net) {
        SwarmLimits one = SwarmLimits.DEFAULT.withMaxConnections(1);
        try (Swarm a = net.swarm(x -> x.limits(one)); Swarm b = net.swarm(); Swarm c = net.swarm()) {
            TestSwarms.connect(a, b);
            assertThatThrownBy(() -> await(a.dial(TestSwarms.address(c))))
                    .satisfies(e -> assertThat(causes(e)).anyMatch(LimitExceededException.class::isInstance));
            assertThat(a.connections()).hasSize(1);
            eventually("c drops it", () -> c.connections().isEmpty());
        }
    }

    @ParameterizedTest
    @EnumSource(Net.class)
    void eventsArriveInOrder(Net net) throws Exception {
        try (Swarm a = net.swarm(); Swarm b = net.swarm()) {
            BlockingQueue<SwarmEvent> ea = new LinkedBlockingQueue<>();
            BlockingQueue<SwarmEvent> eb = new LinkedBlockingQueue<>();
            a.subscribe(ea::add);
            b.subscribe(eb::add);
            Connection c = TestSwarms.connect(a, b);
            Connection cb = b.connections(a.localPeer()).get(0);
            assertThat(next(ea)).isEqualTo(new SwarmEvent.ConnectionOpened(c));
            assertThat(next(ea)).isEqualTo(new SwarmEvent.PeerConnected(b.localPeer()));
            assertThat(next(eb)).isEqualTo(new SwarmEvent.ConnectionOpened(cb));
            assertThat(next(eb)).isEqualTo(new SwarmEvent.PeerConnected(a.localPeer()));
            await(c.close());
            assertThat(next(ea)).isEqualTo(new SwarmEvent.ConnectionClosed(c, Optional.empty()));
            assertThat(next(ea)).isEqualTo(new SwarmEvent.PeerDisconnected(b.localPeer()));
            assertThat(next(eb)).isInstanceOf(SwarmEvent.ConnectionClosed.class);
            assertThat(next(eb)).isEqualTo(new SwarmEvent.PeerDisconnected(a.localPeer()));
            assertThat(a.connections()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Net.class)
    void closingTheSwarmClosesItsConnections(Net net) {
        try (Swarm b = net.swarm()) {
            Swarm a = net.swarm();
            Connection c = TestSwarms.connect(a, b);
            a.close();
            assertThat(c.isOpen()).isFalse();
            eventually("b sees the connection close", () -> b.connections().isEmpty());
            assertThatThrownBy(() -> await(a.dial(TestSwarms.address(b)))).cause().isInstanceOf(DialException.class);
        }
    }

    private static SwarmEvent next(BlockingQueue<SwarmEvent> q) throws InterruptedException {
        SwarmEvent e = q.poll(10, TimeUnit.SECONDS);
        while (e instanceof SwarmEvent.ListenStarted) {
            e = q.poll(10, TimeUnit.SECONDS);
        }
        assertThat(e).as("next event").isNotNull();
        return e;
    }

    static List<Throwable> causes(Throwable t) {
        List<Throwable> out = new ArrayList<>();
        for (Throwable x = t; x != null && !out.contains(x); x = x.getCause()) {
            out.add(x);
        }
        return out;
    }
}
