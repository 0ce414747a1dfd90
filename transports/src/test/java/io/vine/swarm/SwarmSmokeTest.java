package io.vine.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.vine.core.Connection;
import io.vine.testkit.EchoProtocol;
import io.vine.testkit.TestSwarms;
import org.junit.jupiter.api.Test;

class SwarmSmokeTest {
    @Test
    void memory() {
        try (Swarm a = TestSwarms.memory(); Swarm b = TestSwarms.memory(new EchoProtocol())) {
            Connection c = TestSwarms.connect(a, b);
            assertThat(c.remotePeer()).isEqualTo(b.localPeer());
        }
    }

    @Test
    void tcp() {
        try (Swarm a = TestSwarms.tcp(); Swarm b = TestSwarms.tcp(new EchoProtocol())) {
            Connection c = TestSwarms.connect(a, b);
            assertThat(c.remotePeer()).isEqualTo(b.localPeer());
        }
    }
}
