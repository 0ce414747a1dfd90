package io.vine.tun.overlay;

import static io.vine.tun.overlay.OverlayFixture.await;
import static io.vine.tun.overlay.OverlayFixture.bytes;
import static io.vine.tun.overlay.OverlayFixture.read;
import static io.vine.tun.overlay.OverlayFixture.udp;
import static org.assertj.core.api.Assertions.assertThat;

import io.vine.protocol.relay.RelayMetrics;
import io.vine.protocol.relay.RelayTransport;
import io.vine.protocol.relay.RelayService;
import io.vine.tun.overlay.OverlayFixture.Member;
import io.vine.tun.overlay.OverlayFixture.Running;
import io.vine.tun.session.PathKind;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** A relay-capable node serves within its config's {@link RelayLimits}. */
class VineNodeRelayLimitsTest {
    private static final String NET = "relay-limits";

    @Test
    void reservationAndDataLimitsApplyAndTheSessionTakesANewRelayedPath() {
        Member relay = OverlayFixture.member("relay", 9, true);
        Member alpha = OverlayFixture.member("alpha", 1, false);
        Member beta = OverlayFixture.member("beta", 2, false);
        Member gamma = OverlayFixture.member("gamma", 3, false);
        List<Member> all = List.of(relay, alpha, beta, gamma);
        RelayLimits limits = new RelayLimits(2, 4, Optional.empty(), OptionalLong.of(20_000));
        try (OverlayFixture f = new OverlayFixture()) {
            Running r = f.start(relay, OverlayFixture.config(relay, NET, all, List.of()).relayLimits(limits).build());
            RelayService service = r.node().swarm().protocol(RelayService.class).orElseThrow();
            assertThat(service.config().maxReservations()).isEqualTo(2);
            assertThat(service.config().maxCircuits()).isEqualTo(4);
            assertThat(service.config().circuitBytes()).isEqualTo(20_000);
            assertThat(service.config().unlimitedPeers()).isEmpty();
            // beta and gamma take the two reservations; alpha's is refused
            Running b = f.start(beta, OverlayFixture.config(beta, NET, all, List.of(relay)).signalingUpgrade(false).build());
            b.node().bootstrap().join();
            f.start(gamma, OverlayFixture.config(gamma, NET, all, List.of(relay)).signalingUpgrade(false).build()).node().bootstrap().join();
            await(() -> service.metrics().reservationsActive() == 2, "two reservations");
            Running a = f.start(alpha, OverlayFixture.config(alpha, NET, all, List.of(relay)).signalingUpgrade(false).build());
            a.gater().blocked.add(beta.id());
            List<VineEvent.Bootstrap> steps = a.node().bootstrap().join();
            assertThat(steps).anyMatch(s -> s.target().startsWith("reservation") && !s.success());
            assertThat(service.metrics().reservationsRefused()).isGreaterThanOrEqualTo(1);

            // alpha reaches beta through the relay; more than 20 000 bytes close the circuit: the relay
            // announced the limit, so the circuit's ends hold it too and may close it first
            await(() -> a.node().sessionPath(beta.id()).equals(Optional.of(PathKind.RELAY)), "alpha reaches beta through the relay");
            RelayTransport alphaClient = a.node().swarm().protocol(RelayTransport.class).orElseThrow();
            RelayTransport betaClient = b.node().swarm().protocol(RelayTransport.class).orElseThrow();
            java.util.function.LongSupplier dataLimitCloses = () -> service.metrics().closed(RelayMetrics.CloseReason.DATA_LIMIT)
                    + alphaClient.metrics().closedByDataLimit() + betaClient.metrics().closedByDataLimit();
            byte[] filler = new byte[1000];
            for (int i = 0; i < 30 && dataLimitCloses.getAsLong() == 0; i++) {
                a.host().write(udp(alpha.host(1), beta.host(1), new String(filler) + i));
                read(b.host());
            }
            await(() -> dataLimitCloses.getAsLong() >= 1, "the circuit is closed at its data limit");
            // the session takes a new relayed connection and carries packets again
            await(() -> a.node().sessionPath(beta.id()).equals(Optional.of(PathKind.RELAY))
                    && service.metrics().circuitsActive() >= 1, "alpha takes a new relayed path");
            ByteBuffer p = udp(alpha.host(1), beta.host(1), "after the limit");
            a.host().write(p.duplicate());
            byte[] got = read(b.host());
            for (int i = 0; i < 5 && got != null && !java.util.Arrays.equals(got, bytes(p)); i++) {
                got = read(b.host()); // late frames of the filler
            }
            assertThat(got).isEqualTo(bytes(p));
        }
    }

    @Test
    void withoutCircuitLimitsMembersAreUnlimited() {
        Member relay = OverlayFixture.member("relay", 9, true);
        Member alpha = OverlayFixture.member("alpha", 1, false);
        try (OverlayFixture f = new OverlayFixture()) {
            Running r = f.start(relay, OverlayFixture.config(relay, NET, List.of(relay, alpha), List.of()).build());
            RelayService service = r.node().swarm().protocol(RelayService.class).orElseThrow();
            assertThat(service.config().unlimitedPeers()).containsExactly(alpha.id());
            assertThat(service.config().maxReservations()).isEqualTo(RelayLimits.DEFAULT.maxReservations());
            assertThat(service.config().circuitDuration()).isGreaterThan(Duration.ofDays(365));
        }
    }
}
