package io.vine.protocol.dcutr;

import static io.vine.protocol.dcutr.DcutrFixture.events;
import static io.vine.protocol.dcutr.DcutrFixture.next;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.vine.core.Protocol;
import io.vine.core.StreamChannel;
import io.vine.core.SwarmEvent;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.protocol.ping.Ping;
import io.vine.swarm.Swarm;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Malformed DCUtR messages, to either role: the stream is reset, the failure counted as malformed,
 * and the relayed connection keeps working.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DcutrBadInputTest {

    /** Hex of what the peer sends: too long, not protobuf, unknown type, no type, SYNC first, bad varint. */
    @ParameterizedTest
    @ValueSource(strings = {"882701", "03ffffff", "0308c801", "00", "0308ac02", "ffffffffffffffffffff01"})
    void initiatorResetsOnABadAnswer(String hex) throws Exception {
        byte[] answer = HexFormat.of().parseHex(hex);
        try (DcutrFixture f = new DcutrFixture()) {
            Dcutr db = new Dcutr();
            Swarm a = f.peer(new FakeDcutr(answer));
            Swarm b = f.peer(db);
            Multiaddr circuit = f.reserve(b);
            BlockingQueue<SwarmEvent> eb = events(b);
            a.dial(circuit).orTimeout(10, TimeUnit.SECONDS).join();
            HolePunchFailed failed = (HolePunchFailed) next(eb);
            assertThat(failed.reason()).isEqualTo("malformed");
            assertThat(db.counters().malformedMessages()).isEqualTo(1);
            assertThat(db.counters().failureReasons()).containsEntry("malformed", 1L);
            assertThat(Ping.ping(a, b.localPeer(), 1).get(10, TimeUnit.SECONDS)).hasSize(1);
        }
    }

    /** Sent first to the responder: too long, not protobuf, unknown type, SYNC before CONNECT. */
    @ParameterizedTest
    @ValueSource(strings = {"ffff01", "03ffffff", "0308c801", "0308ac02"})
    void responderResetsOnABadRequest(String hex) throws Exception {
        try (DcutrFixture f = new DcutrFixture()) {
            Dcutr da = new Dcutr();
            Swarm a = f.peer(da);
            Swarm b = f.peer();
            Multiaddr circuit = f.reserve(b);
            BlockingQueue<SwarmEvent> ea = events(a);
            a.dial(circuit).orTimeout(10, TimeUnit.SECONDS).join();
            DcutrFixture.await(() -> !b.connections(a.localPeer()).isEmpty(), "b registers the relayed connection");
            StreamChannel s = b.newStream(a.localPeer(), Dcutr.PROTOCOL_ID).get(10, TimeUnit.SECONDS);
            s.writeAndFlush(Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex)));
            s.config().setAutoRead(true);
            assertThat(s.closeFuture().await(10, TimeUnit.SECONDS)).isTrue();
            HolePunchFailed failed = (HolePunchFailed) next(ea);
            assertThat(failed.reason()).isEqualTo("malformed");
            assertThat(da.counters().malformedMessages()).isEqualTo(1);
            assertThat(Ping.ping(b, a.localPeer(), 1).get(10, TimeUnit.SECONDS)).hasSize(1);
        }
    }

    /** Answers the first bytes of a dcutr stream with fixed bytes. */
    private record FakeDcutr(byte[] answer) implements Protocol {
        @Override
        public List<String> protocolIds() {
            return List.of(Dcutr.PROTOCOL_ID);
        }

        @Override
        public void acceptInboundStream(StreamChannel stream, String protocolId) {
            stream.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                boolean sent;

                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ReferenceCountUtil.release(msg);
                    if (!sent) {
                        sent = true;
                        ctx.writeAndFlush(Unpooled.wrappedBuffer(answer));
                    }
                }
            });
        }
    }
}
