package io.vine.protocol.ping;

import static org.assertj.core.api.Assertions.assertThat;

import io.vine.swarm.Swarm;
import io.vine.testkit.TestSwarms;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Ping between swarms over the in-memory transport. */
class PingSwarmTest {

    @Test
    void fivePingsGiveFivePositiveRoundTrips() throws Exception {
        try (Swarm a = TestSwarms.memory(new Ping()); Swarm b = TestSwarms.memory(new Ping())) {
            TestSwarms.connect(a, b);
            List<Duration> rtts = Ping.ping(a, b.localPeer(), 5).get(10, TimeUnit.SECONDS);
            assertThat(rtts).hasSize(5).allMatch(d -> d.compareTo(Duration.ZERO) > 0);
            assertThat(a.peerStore().latency(b.localPeer())).hasValueSatisfying(d -> assertThat(d).isPositive());
        }
    }

    @Test
    void concurrentPingsToOnePeerTakeTurns() throws Exception {
        try (Swarm a = TestSwarms.memory(new Ping()); Swarm b = TestSwarms.memory(new Ping())) {
            TestSwarms.connect(a, b);
            Ping ping = a.protocol(Ping.class).orElseThrow();
            CompletableFuture<List<Duration>> first = ping.ping(b.localPeer(), 3);
            CompletableFuture<List<Duration>> second = ping.ping(b.localPeer(), 3);
            assertThat(second.get(10, TimeUnit.SECONDS)).hasSize(3);
            assertThat(first).isCompleted();
            assertThat(first.get()).hasSize(3);
        }
    }

    @Test
    void dialerOnlyPingWorksWithoutRegistration() throws Exception {
        try (Swarm a = TestSwarms.memory(); Swarm b = TestSwarms.memory(new Ping())) {
            TestSwarms.connect(a, b);
            assertThat(Ping.ping(a, b.localPeer(), 2).get(10, TimeUnit.SECONDS)).hasSize(2);
        }
    }
}
