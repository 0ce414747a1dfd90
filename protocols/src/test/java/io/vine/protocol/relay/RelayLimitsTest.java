package io.vine.protocol.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vine.core.Connection;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.protocol.relay.internal.pb.RelayProto;
import io.vine.swarm.Swarm;
import io.vine.testkit.TestSwarms;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The relay's limits: data and duration per circuit, unlimited peers, reservations full or flooded. */
class RelayLimitsTest {

    @Test
    void theDataLimitClosesTheCircuit() throws Exception {
        RelayService service = new RelayService(RelayConfig.builder().circuitBytes(64 * 1024).build());
        try (RelayFixture f = new RelayFixture()) {
            Swarm r = f.relay(service, false);
            // Raw ends: a vine client would close the circuit at the announced limit itself.
            Swarm a = rawTarget(f);
            Swarm b = rawTarget(f);
            RawCircuit.reserve(TestSwarms.connect(a, r));
            RawCircuit c = RawCircuit.connect(TestSwarms.connect(b, r), a.localPeer());
            c.send(256 * 1024);
            RelayFixture.await(() -> service.metrics().closed(RelayMetrics.CloseReason.DATA_LIMIT) == 1, "a data-limit close");
            RelayFixture.await(() -> !c.stream.isActive(), "B's side of the circuit closes");
            assertThat(c.echoed.get()).isLessThanOrEqualTo(64 * 1024);
            assertThat(service.metrics().circuitsActive()).isZero();
            // The relay keeps serving: a new circuit opens.
            assertThat(f.client(new RelayTransport(), false).dial(RelayFixture.reserve(f.client(new RelayTransport(), false), r))
                    .orTimeout(10, TimeUnit.SECONDS).join().isOpen()).isTrue();
        }
    }

    @Test
    void theDurationLimitClosesTheCircuit() throws Exception {
        RelayService service = new RelayService(RelayConfig.builder().circuitDuration(Duration.ofSeconds(1)).build());
        try (RelayFixture f = new RelayFixture()) {
            Swarm r = f.relay(service, false);
            Swarm a = rawTarget(f);
            Swarm b = rawTarget(f);
            RawCircuit.reserve(TestSwarms.connect(a, r));
            RawCircuit c = RawCircuit.connect(TestSwarms.connect(b, r), a.localPeer());
            RelayFixture.await(() -> !c.stream.isActive(), "the circuit to close after 1 s");
            assertThat(service.metrics().closed(RelayMetrics.CloseReason.DURATION_LIMIT)).isEqualTo(1);
        }
    }

    private static Swarm rawTarget(RelayFixture f) {
        Swarm s = TestSwarms.memory(new RawCircuit.EchoStop(), new io.vine.protocol.identify.Identify());
        f.swarms.add(s);
        return s;
    }

    @Test
    void unlimitedPeersAreNotClosed() throws InterruptedException {
        try (RelayFixture f = new RelayFixture()) {
            Swarm a = f.client(new RelayTransport(), false);
            RelayService service = new RelayService(RelayConfig.builder().circuitBytes(16 * 1024)
                    .circuitDuration(Duration.ofSeconds(1)).unlimitedPeers(Set.of(a.localPeer())).build());
            Swarm r = f.relay(service, false);
            Swarm b = f.client(new RelayTransport(), false);
            Connection c = b.dial(RelayFixture.reserve(a, r)).orTimeout(10, TimeUnit.SECONDS).join();
            byte[] payload = new byte[512 * 1024];
            assertThat(RelayCircuitTest.echo(c, payload)).hasSize(payload.length);
            Thread.sleep(1500);
            assertThat(c.isOpen()).isTrue();
            assertThat(RelayCircuitTest.echo(c, new byte[1000])).hasSize(1000);
            assertThat(service.metrics().circuitsActive()).isEqualTo(1);
        }
    }

    @Test
    void reservationsAreRefusedWhenFullAndOthersStillServed() throws Exception {
        RelayService service = new RelayService(RelayConfig.builder().maxReservations(1).build());
        try (RelayFixture f = new RelayFixture()) {
            Swarm r = f.relay(service, false);
            Swarm a = f.client(new RelayTransport(), false);
            Swarm c = f.client(new RelayTransport(), false);
            Swarm b = f.client(new RelayTransport(), false);
            Multiaddr circuit = RelayFixture.reserve(a, r);
            assertThatThrownBy(() -> RelayFixture.reserve(c, r))
                    .satisfies(e -> assertThat(RelayCircuitTest.status(e)).isEqualTo(RelayStatus.RESOURCE_LIMIT_EXCEEDED));
            assertThat(service.metrics().reservationsRefused()).isEqualTo(1);
            // A's refresh is still granted, and B reaches A.
            RelayProto.HopMessage refresh = RawStreams.hop(RawStreams.exchange(a.connections(r.localPeer()).get(0),
                    RelayService.HOP_PROTOCOL_ID, RawStreams.reserveRequest()));
            assertThat(refresh.getStatus()).isEqualTo(RelayProto.Status.OK);
            assertThat(b.dial(circuit).orTimeout(10, TimeUnit.SECONDS).join().remotePeer()).isEqualTo(a.localPeer());
        }
    }

    @Test
    void aReservationFloodFromOnePeerIsRefusedWhileOthersAreServed() throws Exception {
        RelayService service = new RelayService(RelayConfig.builder().maxReservationsPerPeer(3).build());
        try (RelayFixture f = new RelayFixture()) {
            Swarm r = f.relay(service, false);
            Swarm flooder = f.client(new RelayTransport(), false);
            Connection toRelay = TestSwarms.connect(flooder, r);
            int ok = 0;
            int refused = 0;
            for (int i = 0; i < 10; i++) {
                RelayProto.HopMessage m = RawStreams.hop(RawStreams.exchange(toRelay, RelayService.HOP_PROTOCOL_ID,
                        RawStreams.reserveRequest()));
                if (m.getStatus() == RelayProto.Status.OK) {
                    ok++;
                } else {
                    assertThat(m.getStatus()).isEqualTo(RelayProto.Status.RESERVATION_REFUSED);
                    refused++;
                }
            }
            assertThat(ok).isEqualTo(3);
            assertThat(refused).isEqualTo(7);
            Swarm a = f.client(new RelayTransport(), false);
            Swarm b = f.client(new RelayTransport(), false);
            assertThat(b.dial(RelayFixture.reserve(a, r)).orTimeout(10, TimeUnit.SECONDS).join().isOpen()).isTrue();
            assertThat(service.metrics().reservationsActive()).isEqualTo(2);
        }
    }

    @Test
    void reservationsPerIpAreBoundedOverTcp() {
        RelayService service = new RelayService(RelayConfig.builder().maxReservationsPerIp(1).build());
        try (RelayFixture f = new RelayFixture()) {
            Swarm r = f.relay(service, true);
            Swarm a = f.client(new RelayTransport(), true);
            Swarm c = f.client(new RelayTransport(), true);
            RelayFixture.reserve(a, r);
            assertThatThrownBy(() -> RelayFixture.reserve(c, r))
                    .satisfies(e -> assertThat(RelayCircuitTest.status(e)).isEqualTo(RelayStatus.RESERVATION_REFUSED));
        }
    }

    @Test
    void circuitsPerPeerAreBounded() {
        RelayService service = new RelayService(RelayConfig.builder().maxCircuitsPerPeer(1).build());
        try (RelayFixture f = new RelayFixture()) {
            Swarm r = f.relay(service, false);
            Swarm a = f.client(new RelayTransport(), false);
            Swarm b = f.client(new RelayTransport(), false);
            Swarm c = f.client(new RelayTransport(), false);
            Multiaddr circuit = RelayFixture.reserve(a, r);
            b.dial(circuit).orTimeout(10, TimeUnit.SECONDS).join();
            assertThatThrownBy(() -> c.dial(circuit).orTimeout(10, TimeUnit.SECONDS).join())
                    .satisfies(e -> assertThat(RelayCircuitTest.status(e)).isEqualTo(RelayStatus.RESOURCE_LIMIT_EXCEEDED));
        }
    }
}
