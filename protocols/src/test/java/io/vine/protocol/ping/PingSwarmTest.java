package io.vine.protocol.ping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.vine.core.Protocol;
import io.vine.core.StreamChannel;
import io.vine.swarm.Swarm;
import io.vine.testkit.TestSwarms;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
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

    /** Answers each ping with its bytes inverted. */
    private static final class CorruptingPing implements Protocol {
        @Override
        public List<String> protocolIds() {
            return List.of(Ping.PROTOCOL_ID);
        }

        @Override
        public void acceptInboundStream(StreamChannel stream, String protocolId) {
            stream.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ByteBuf in = (ByteBuf) msg;
                    ByteBuf out = ctx.alloc().buffer(in.readableBytes());
                    while (in.isReadable()) {
                        out.writeByte(~in.readByte());
                    }
                    in.release();
                    ctx.writeAndFlush(out);
                }
            });
        }
    }

    @Test
    void wrongEchoFailsWithMismatchAndRecordsNothing() throws Exception {
        try (Swarm a = TestSwarms.memory(new Ping()); Swarm b = TestSwarms.memory(new CorruptingPing())) {
            TestSwarms.connect(a, b);
            assertThatThrownBy(() -> Ping.ping(a, b.localPeer(), 3).get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(PingMismatchException.class);
            assertThat(a.peerStore().latency(b.localPeer())).isEmpty();
            assertThat(a.connections(b.localPeer())).isNotEmpty();
        }
    }

    @Test
    void silentResponderTimesOut() throws Exception {
        Protocol silent = new Protocol() {
            @Override
            public List<String> protocolIds() {
                return List.of(Ping.PROTOCOL_ID);
            }

            @Override
            public void acceptInboundStream(StreamChannel stream, String protocolId) {}
        };
        Ping ping = new Ping(Duration.ofMillis(200), Ping.DEFAULT_IDLE_TIMEOUT);
        try (Swarm a = TestSwarms.memory(ping); Swarm b = TestSwarms.memory(silent)) {
            TestSwarms.connect(a, b);
            assertThatThrownBy(() -> ping.ping(b.localPeer(), 1).get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(PingTimeoutException.class);
        }
    }
}
