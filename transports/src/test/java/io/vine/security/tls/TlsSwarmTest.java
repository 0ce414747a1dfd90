package io.vine.security.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.vine.core.Connection;
import io.vine.core.PeerIdMismatchException;
import io.vine.core.StreamChannel;
import io.vine.core.crypto.Keys;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.peer.PeerId;
import io.vine.swarm.Swarm;
import io.vine.swarm.SwarmBuilder;
import io.vine.testkit.EchoProtocol;
import io.vine.testkit.TestSwarms;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Two swarms that prefer TLS: the upgrade picks /tls/1.0.0, agrees on Yamux through ALPN, and streams work. */
class TlsSwarmTest {
    private static final Consumer<SwarmBuilder> TLS_FIRST = b -> b.security(new TlsSecurity());

    @Test
    void swarmsConnectOverTlsOnTcpAndEchoOnManyStreams() throws Exception {
        connectAndEcho(customize -> TestSwarms.tcp(customize), customize -> TestSwarms.tcp(customize, new EchoProtocol()));
    }

    @Test
    void swarmsConnectOverTlsOnTheMemoryTransport() throws Exception {
        connectAndEcho(customize -> TestSwarms.memory(customize), customize -> TestSwarms.memory(customize, new EchoProtocol()));
    }

    private void connectAndEcho(Function<Consumer<SwarmBuilder>, Swarm> dialer, Function<Consumer<SwarmBuilder>, Swarm> listener)
            throws Exception {
        try (Swarm a = dialer.apply(TLS_FIRST); Swarm b = listener.apply(TLS_FIRST)) {
            Connection c = TestSwarms.connect(a, b);
            assertThat(c.security()).isEqualTo(TlsSecurity.PROTOCOL_ID);
            assertThat(c.muxer()).isEqualTo("/yamux/1.0.0");
            assertThat(c.remotePeer()).isEqualTo(b.localPeer());
            assertThat(c.remotePublicKey()).isEqualTo(b.privateKey().publicKey());
            Connection back = b.connections(a.localPeer()).getFirst();
            assertThat(back.security()).isEqualTo(TlsSecurity.PROTOCOL_ID);
            assertThat(back.muxer()).isEqualTo("/yamux/1.0.0");
            assertThat(back.remotePublicKey()).isEqualTo(a.privateKey().publicKey());

            List<CompletableFuture<byte[]>> echoes = new ArrayList<>();
            List<byte[]> sent = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                byte[] data = new byte[i == 0 ? 2 * 1024 * 1024 : 40_000 + i];
                new Random(i).nextBytes(data);
                sent.add(data);
                echoes.add(echo(a, b.localPeer(), data));
            }
            for (int i = 0; i < echoes.size(); i++) {
                assertThat(echoes.get(i).get(30, TimeUnit.SECONDS)).as("stream %d", i).isEqualTo(sent.get(i));
            }
            assertThat(a.connections(b.localPeer())).hasSize(1); // all streams on the one TLS connection
        }
    }

    @Test
    void dialingTheWrongPeerOverTlsFailsWithMismatch() {
        try (Swarm a = TestSwarms.tcp(TLS_FIRST); Swarm b = TestSwarms.tcp(TLS_FIRST)) {
            PeerId someoneElse = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
            Multiaddr wrong = TestSwarms.address(b).withoutPeerId().withPeerId(someoneElse);
            CompletableFuture<Connection> dial = a.dial(wrong);
            assertThat(dial).failsWithin(TestSwarms.TIMEOUT);
            Throwable t = dial.exceptionNow();
            while (t != null && !(t instanceof PeerIdMismatchException)) {
                t = t.getCause();
            }
            assertThat(t).isInstanceOf(PeerIdMismatchException.class);
            assertThat(((PeerIdMismatchException) t).actual()).isEqualTo(b.localPeer());
        }
    }

    /** Opens an echo stream, writes {@code data}, half-closes, and collects what comes back until the remote's FIN. */
    private static CompletableFuture<byte[]> echo(Swarm from, PeerId to, byte[] data) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        from.newStream(to, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf b = (ByteBuf) msg;
                try {
                    b.readBytes(received, b.readableBytes());
                } catch (java.io.IOException e) {
                    result.completeExceptionally(e);
                } finally {
                    b.release();
                }
                if (received.size() == data.length) {
                    result.complete(received.toByteArray());
                }
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                result.completeExceptionally(cause);
            }
        }, EchoProtocol.ID).whenComplete((stream, e) -> {
            if (e != null) {
                result.completeExceptionally(e);
                return;
            }
            stream.writeAndFlush(Unpooled.wrappedBuffer(data)).addListener(f -> ((StreamChannel) stream).shutdownOutput());
        });
        return result;
    }
}
