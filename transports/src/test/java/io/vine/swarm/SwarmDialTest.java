package io.vine.swarm;

import static io.vine.swarm.Net.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vine.core.Connection;
import io.vine.core.DialException;
import io.vine.core.SwarmEvent;
import io.vine.core.crypto.Keys;
import io.vine.core.crypto.PrivKey;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.peer.PeerId;
import io.vine.testkit.TestSwarms;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SwarmDialTest {
    private static final Duration TTL = Duration.ofMinutes(5);

    @ParameterizedTest
    @EnumSource(Net.class)
    void dialingAPeerUsesThePeerStore(Net net) {
        try (Swarm a = net.swarm(); Swarm b = net.swarm()) {
            assertThatThrownBy(() -> await(a.dial(b.localPeer(), false))).cause()
                    .isInstanceOf(DialException.class).hasMessageContaining("no known addresses");
            Multiaddr dead = net == Net.MEMORY ? Multiaddr.parse("/memory/99991") : Multiaddr.parse("/ip4/127.0.0.1/tcp/1");
            // The newest address (the dead one) is tried first; the dial goes on to the live one.
            a.peerStore().addAddresses(b.localPeer(), b.listenAddresses(), TTL);
            a.peerStore().addAddresses(b.localPeer(), List.of(dead), TTL);
            Connection c = await(a.dial(b.localPeer(), false));
            assertThat(c.remotePeer()).isEqualTo(b.localPeer());
            assertThat(c.remoteAddress()).isEqualTo(b.listenAddresses().get(0));
        }
    }

    @ParameterizedTest
    @EnumSource(Net.class)
    void concurrentDialsToOnePeerShareOneAttempt(Net net) {
        try (Swarm a = net.swarm(); Swarm b = net.swarm()) {
            a.peerStore().addAddresses(b.localPeer(), b.listenAddresses(), TTL);
            List<CompletableFuture<Connection>> dials = List.of(a.dial(b.localPeer(), false),
                    a.dial(b.localPeer(), false), a.dial(b.localPeer(), false));
            Connection first = await(dials.get(0));
            for (CompletableFuture<Connection> d : dials) {
                assertThat(await(d)).isSameAs(first);
            }
            assertThat(a.connections(b.localPeer())).hasSize(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Net.class)
    void aPeerThatFailedIsBackedOffUntilTheDelayPasses(Net net) throws Exception {
        PrivKey bKey = Keys.generateEd25519();
        PeerId bId = PeerId.fromPublicKey(bKey.publicKey());
        Duration base = Duration.ofMillis(400);
        try (Swarm a = net.swarm(x -> x.limits(SwarmLimits.DEFAULT.withDialBackoff(base, Duration.ofSeconds(2))))) {
            Multiaddr gone;
            try (Swarm b = net.swarm(x -> x.identity(bKey))) {
                gone = b.listenAddresses().get(0);
            }
            BlockingQueue<SwarmEvent> events = new LinkedBlockingQueue<>();
            a.subscribe(events::add);
            a.peerStore().addAddresses(bId, List.of(gone), TTL);

            assertThatThrownBy(() -> await(a.dial(bId, false))).cause().isInstanceOf(DialException.class)
                    .hasMessageContaining("all addresses of " + bId + " failed");
            SwarmEvent failed = events.poll(5, TimeUnit.SECONDS);
            while (failed != null && !(failed instanceof SwarmEvent.DialFailed)) {
                failed = events.poll(5, TimeUnit.SECONDS);
            }
            assertThat(failed).isInstanceOfSatisfying(SwarmEvent.DialFailed.class, f -> {
                assertThat(f.peer()).contains(bId);
                assertThat(f.address().withoutPeerId()).isEqualTo(gone);
            });

            // Backed off: refused at once, without trying the address.
            long start = System.nanoTime();
            assertThatThrownBy(() -> await(a.dial(bId, false))).cause().isInstanceOf(DialException.class)
                    .hasMessageContaining("backed off");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(base);

            // The peer comes back at a new address with the same identity.
            try (Swarm b = net.swarm(x -> x.identity(bKey))) {
                a.peerStore().addAddresses(bId, b.listenAddresses(), TTL);
                assertThatThrownBy(() -> await(a.dial(bId, false))).cause().hasMessageContaining("backed off");
                // forceNew does not wait for the back-off.
                Connection forced = await(a.dial(bId, true));
                assertThat(forced.remotePeer()).isEqualTo(bId);
                await(forced.close());
                Net.eventually("closed", () -> a.connections(bId).isEmpty());
                // Success cleared the back-off.
                Connection c = await(a.dial(bId, false));
                assertThat(c.remotePeer()).isEqualTo(bId);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Net.class)
    void backOffExpires(Net net) throws Exception {
        PrivKey bKey = Keys.generateEd25519();
        PeerId bId = PeerId.fromPublicKey(bKey.publicKey());
        Duration base = Duration.ofMillis(300);
        try (Swarm a = net.swarm(x -> x.limits(SwarmLimits.DEFAULT.withDialBackoff(base, Duration.ofSeconds(1))))) {
            Multiaddr gone;
            try (Swarm b = net.swarm(x -> x.identity(bKey))) {
                gone = b.listenAddresses().get(0);
            }
            a.peerStore().addAddresses(bId, List.of(gone), TTL);
            assertThatThrownBy(() -> await(a.dial(bId, false))).cause().hasMessageContaining("all addresses");
            assertThatThrownBy(() -> await(a.dial(bId, false))).cause().hasMessageContaining("backed off");
            Thread.sleep(base.toMillis() + 100);
            // Tried again (and failed again: nobody listens), not refused by the back-off.
            assertThatThrownBy(() -> await(a.dial(bId, false))).cause().hasMessageContaining("all addresses");
            // The second failure doubled the delay.
            Thread.sleep(base.toMillis() + 100);
            assertThatThrownBy(() -> await(a.dial(bId, false))).cause().hasMessageContaining("backed off");
        }
    }
}
