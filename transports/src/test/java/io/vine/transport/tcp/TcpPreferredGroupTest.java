package io.vine.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.vine.core.Connection;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.muxer.yamux.Yamux;
import io.vine.security.noise.NoiseSecurity;
import io.vine.swarm.Swarm;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A swarm given no event loops runs TCP on the ones the transport prefers: epoll where Linux has it. */
class TcpPreferredGroupTest {
    private static Swarm swarm() {
        return Swarm.builder().transport(new TcpTransport()).security(new NoiseSecurity()).muxer(new Yamux()).build();
    }

    @Test
    void connectionsOfASwarmWithoutAnIoGroupRunOnEpollWhereAvailable() throws Exception {
        try (Swarm server = swarm(); Swarm client = swarm()) {
            Multiaddr bound = server.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).get(5, TimeUnit.SECONDS);
            Connection c = client.dial(bound.withPeerId(server.localPeer())).get(10, TimeUnit.SECONDS);
            Class<?> expected = Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class;
            assertThat(c.channel()).isInstanceOf(expected);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (server.connections().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(server.connections()).singleElement()
                    .satisfies(accepted -> assertThat(accepted.channel()).isInstanceOf(expected));
        }
    }
}
