package io.vine.swarm;

import static io.vine.swarm.Net.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import io.vine.core.Connection;
import io.vine.core.StreamChannel;
import io.vine.swarm.multistream.NegotiationException;
import io.vine.testkit.EchoProtocol;
import io.vine.testkit.TestSwarms;
import io.vine.transport.Wires;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SwarmStreamTest {

    /** Writes {@code payload} on a new echo stream from {@code from} to {@code to}, half-closes, reads it back. */
    private static void echo(Swarm from, Swarm to, byte[] payload) {
        Wires.Collector back = new Wires.Collector(payload.length);
        StreamChannel s = await(from.newStream(to.localPeer(), back, EchoProtocol.ID));
        assertThat(s.protocol()).isEqualTo(EchoProtocol.ID);
        assertThat(s.connection().remotePeer()).isEqualTo(to.localPeer());
        for (int off = 0; off < payload.length; off += 8192) {
            s.write(Unpooled.wrappedBuffer(payload, off, Math.min(8192, payload.length - off)));
        }
        s.flush();
        s.shutdownOutput();
        assertThat(await(back.received)).isEqualTo(payload);
        await(back.inputClosed);
        s.close();
    }

    @ParameterizedTest
    @EnumSource(Net.class)
    void echoStreamsBothWays(Net net) throws Exception {
        EchoProtocol ea = new EchoProtocol();
        EchoProtocol eb = new EchoProtocol();
        try (Swarm a = net.swarm(ea); Swarm b = net.swarm(eb)) {
            TestSwarms.connect(a, b);
            byte[] payload = new byte[300_000];
            new Random(1).nextBytes(payload);
            echo(a, b, payload);
            echo(b, a, "back the other way".getBytes());
            StreamChannel served = eb.accepted.poll(10, TimeUnit.SECONDS);
            assertThat(served).isNotNull();
            assertThat(served.protocol()).isEqualTo(EchoProtocol.ID);
            assertThat(served.connection().remotePeer()).isEqualTo(a.localPeer());
            assertThat(ea.accepted.poll(10, TimeUnit.SECONDS)).isNotNull();
            assertThat(a.connections(b.localPeer())).hasSize(1);
        }
    }

    /**
     * The newest connection, which a new stream takes, closes as the stream opens on it (as when the
     * remote closes it just then): the stream opens on the other connection instead.
     */
    @ParameterizedTest
    @EnumSource(Net.class)
    void aStreamWhoseConnectionClosesWhileItOpensOpensOnAnother(Net net) {
        try (Swarm a = net.swarm(); Swarm b = net.swarm(new EchoProtocol())) {
            Connection first = TestSwarms.connect(a, b);
            Connection newest = await(a.dial(b.localPeer(), true));
            newest.channel().pipeline().addFirst(new ChannelOutboundHandlerAdapter() {
                @Override
                public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                    ReferenceCountUtil.release(msg);
                    promise.setFailure(new ClosedChannelException());
                    ctx.close();
                }
            });

            echo(a, b, "opened on the first connection".getBytes());

            assertThat(newest.isOpen()).isFalse();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (a.connections(b.localPeer()).size() > 1 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(a.connections(b.localPeer())).containsExactly(first);
        }
    }

    @ParameterizedTest
    @EnumSource(Net.class)
    void manyStreamsAtOnceOnOneConnection(Net net) {
        try (Swarm a = net.swarm(); Swarm b = net.swarm(new EchoProtocol())) {
            Connection c = TestSwarms.connect(a, b);
            List<CompletableFuture<byte[]>> results = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                byte[] msg = ("stream " + i).getBytes();
                Wires.Collector back = new Wires.Collector(msg.length);
                results.add(a.newStream(b.localPeer(), back, EchoProtocol.ID).thenCompose(s -> {
                    s.writeAndFlush(Unpooled.wrappedBuffer(msg));
                    return back.received;
                }));
            }
            for (int i = 0; i < results.size(); i++) {
                assertThat(new String(await(results.get(i)))).isEqualTo("stream " + i);
            }
            assertThat(a.connections(b.localPeer())).containsExactly(c);
        }
    }

    @ParameterizedTest
    @EnumSource(Net.class)
    void aProtocolTheRemoteLacksFailsNegotiation(Net net) {
        try (Swarm a = net.swarm(); Swarm b = net.swarm(new EchoProtocol())) {
            Connection c = TestSwarms.connect(a, b);
            assertThatThrownBy(() -> await(c.newStream("/nope/1.0.0", "/nor/this")))
                    .isInstanceOf(CompletionException.class).cause().isInstanceOf(NegotiationException.class);
            // The connection survives a refused stream; the second choice is taken when the first is unknown.
            StreamChannel s = await(c.newStream("/nope/1.0.0", EchoProtocol.ID));
            assertThat(s.protocol()).isEqualTo(EchoProtocol.ID);
            s.close();
            assertThat(c.isOpen()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Net.class)
    void theSwarmDialsWhenAStreamIsAskedForAPeerItKnows(Net net) {
        try (Swarm a = net.swarm(); Swarm b = net.swarm(new EchoProtocol())) {
            a.peerStore().addAddresses(b.localPeer(), b.listenAddresses(), java.time.Duration.ofMinutes(1));
            echo(a, b, "dialed on demand".getBytes());
            assertThat(a.connections(b.localPeer())).hasSize(1);
        }
    }
}
