package io.vine.protocol.dcutr;

import static io.vine.protocol.dcutr.DcutrFixture.direct;
import static io.vine.protocol.dcutr.DcutrFixture.events;
import static io.vine.protocol.dcutr.DcutrFixture.next;
import static org.assertj.core.api.Assertions.assertThat;

import io.vine.core.Connection;
import io.vine.core.ConnectionGater;
import io.vine.core.SwarmEvent;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.peer.PeerId;
import io.vine.protocol.ping.Ping;
import io.vine.swarm.Swarm;
import io.vine.swarm.SwarmLimits;
import io.vine.testkit.EchoProtocol;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two peers behind a relay (memory transport) run DCUtR; both roles, success and failure. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DcutrHolePunchTest {

    @Test
    void relayedConnectionIsUpgradedAndNewStreamsGoDirect() throws Exception {
        try (DcutrFixture f = new DcutrFixture()) {
            Dcutr da = new Dcutr();
            Dcutr db = new Dcutr();
            Swarm a = f.peer(da);
            Swarm b = f.peer(db);
            Multiaddr circuit = f.reserve(b);
            BlockingQueue<SwarmEvent> ea = events(a);
            BlockingQueue<SwarmEvent> eb = events(b);

            Connection relayed = a.dial(circuit).orTimeout(10, TimeUnit.SECONDS).join();
            assertThat(DcutrFixture.relayed(relayed)).isTrue();

            HolePunchSucceeded sb = (HolePunchSucceeded) next(eb);
            HolePunchSucceeded sa = (HolePunchSucceeded) next(ea);
            assertThat(sb.peer()).isEqualTo(a.localPeer());
            assertThat(sa.peer()).isEqualTo(b.localPeer());
            assertThat(DcutrFixture.relayed(sb.direct())).isFalse();
            assertThat(DcutrFixture.relayed(sa.direct())).isFalse();
            // The relayed connection stays, but the swarm now picks the direct one for new streams.
            assertThat(relayed.isOpen()).isTrue();
            Connection chosen = a.dial(b.localPeer(), false).orTimeout(10, TimeUnit.SECONDS).join();
            assertThat(DcutrFixture.relayed(chosen)).isFalse();
            Connection chosenByB = b.dial(a.localPeer(), false).orTimeout(10, TimeUnit.SECONDS).join();
            assertThat(DcutrFixture.relayed(chosenByB)).isFalse();
            // Traffic flows after the relay is gone.
            relayed.close().get(10, TimeUnit.SECONDS);
            f.relay.close();
            assertThat(Ping.ping(a, b.localPeer(), 3).get(10, TimeUnit.SECONDS)).hasSize(3);
            assertThat(direct(a, b.localPeer())).isNotEmpty();

            DcutrCounters cb = db.counters();
            assertThat(cb.attempts()).isEqualTo(1);
            assertThat(cb.successes()).isEqualTo(1);
            assertThat(cb.failures()).isZero();
            assertThat(da.counters().successes()).isEqualTo(1);
            assertThat(da.counters().attempts()).isEqualTo(1);
        }
    }

    @Test
    void whenNoDirectDialWorksThreeAttemptsFailAndTheRelayKeepsCarrying() throws Exception {
        // Neither side may dial anything but the relay: no direct connection can appear.
        try (DcutrFixture f = new DcutrFixture()) {
            DcutrConfig fast = DcutrConfig.DEFAULT.withDialTimeout(Duration.ofSeconds(2));
            Dcutr da = new Dcutr(fast);
            Dcutr db = new Dcutr(fast);
            SwarmLimits quick = SwarmLimits.DEFAULT.withHandshakeTimeout(Duration.ofMillis(500));
            String relayAddress = f.relay.listenAddresses().get(0).toString();
            ConnectionGater relayOnly = new ConnectionGater() {
                @Override
                public boolean allowDial(PeerId peer, Multiaddr address) {
                    return address.toString().startsWith(relayAddress);
                }
            };
            Swarm a = f.peer(x -> x.limits(quick).gater(relayOnly), da);
            Swarm b = f.peer(x -> x.limits(quick).gater(relayOnly), db);
            Multiaddr circuit = f.reserve(b);
            BlockingQueue<SwarmEvent> ea = events(a);
            BlockingQueue<SwarmEvent> eb = events(b);
            a.dial(circuit).orTimeout(10, TimeUnit.SECONDS).join();

            HolePunchFailed fb = (HolePunchFailed) next(eb);
            assertThat(fb.reason()).isEqualTo("dial-failed");
            assertThat(fb.detail()).contains("attempt 3");
            HolePunchFailed fa = (HolePunchFailed) next(ea);
            assertThat(fa.peer()).isEqualTo(b.localPeer());
            assertThat(db.counters().attempts()).isEqualTo(3);
            assertThat(db.counters().failureReasons()).containsEntry("dial-failed", 1L);
            assertThat(da.counters().attempts()).isEqualTo(3);
            assertThat(da.counters().failures()).isEqualTo(1);
            // The relayed connection still carries traffic.
            assertThat(direct(a, b.localPeer())).isEmpty();
            assertThat(Ping.ping(a, b.localPeer(), 2).get(10, TimeUnit.SECONDS)).hasSize(2);
        }
    }

    @Test
    void aPeerWithoutDcutrIsCountedUnsupported() throws Exception {
        try (DcutrFixture f = new DcutrFixture()) {
            Dcutr db = new Dcutr();
            Swarm a = f.peer(new EchoProtocol("/other"));
            Swarm b = f.peer(db);
            Multiaddr circuit = f.reserve(b);
            BlockingQueue<SwarmEvent> eb = events(b);
            a.dial(circuit).orTimeout(10, TimeUnit.SECONDS).join();
            HolePunchFailed fb = (HolePunchFailed) next(eb);
            assertThat(fb.reason()).isEqualTo("unsupported");
            assertThat(db.counters().failureReasons()).containsEntry("unsupported", 1L);
            assertThat(Ping.ping(a, b.localPeer(), 1).get(10, TimeUnit.SECONDS)).hasSize(1);
        }
    }
}
