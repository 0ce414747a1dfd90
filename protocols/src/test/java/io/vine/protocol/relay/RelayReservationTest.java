package io.vine.protocol.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.vine.core.SwarmEvent;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.swarm.Swarm;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The client keeps its reservation: refreshes before expiry, reports a lost relay and retries. */
class RelayReservationTest {

    @Test
    void theReservationIsRefreshedBeforeItExpires() throws Exception {
        RelayService service = new RelayService(RelayConfig.builder().reservationTtl(Duration.ofSeconds(2)).build());
        try (RelayFixture f = new RelayFixture()) {
            Swarm r = f.relay(service, false);
            Swarm a = f.client(new RelayTransport(), false);
            Swarm b = f.client(new RelayTransport(), false);
            Multiaddr circuit = RelayFixture.reserve(a, r);
            RelayFixture.await(() -> service.metrics().reservationsAccepted() >= 3, "two refreshes");
            Thread.sleep(300);
            assertThat(b.dial(circuit).orTimeout(10, TimeUnit.SECONDS).join().remotePeer()).isEqualTo(a.localPeer());
        }
    }

    @Test
    void aDeadRelayIsReportedAndTheListenerRetries() throws Exception {
        RelayService service = new RelayService();
        try (RelayFixture f = new RelayFixture()) {
            Swarm r = f.relay(service, false);
            RelayTransport transport = RelayFixture.fastRetry();
            Swarm a = f.client(transport, false);
            Multiaddr circuit = RelayFixture.reserve(a, r).withoutPeerId();
            BlockingQueue<SwarmEvent> events = new LinkedBlockingQueue<>();
            a.subscribe(e -> {
                if (e instanceof SwarmEvent.ListenStopped || e instanceof SwarmEvent.ListenStarted) {
                    events.add(e);
                }
            });
            a.connections(r.localPeer()).get(0).close().join();
            assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo(new SwarmEvent.ListenStopped(circuit));
            // The relay is still there: the retry reserves again.
            assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo(new SwarmEvent.ListenStarted(circuit));
            r.close();
            assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo(new SwarmEvent.ListenStopped(circuit));
            assertThat(transport.relays()).containsExactly(r.localPeer());
        }
    }
}
