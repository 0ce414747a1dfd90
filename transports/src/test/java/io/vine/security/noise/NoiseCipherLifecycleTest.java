package io.vine.security.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.vine.core.SecureSession;
import io.vine.core.SecurityContext;
import io.vine.core.crypto.Keys;
import io.vine.core.crypto.PrivKey;
import io.vine.core.peer.PeerId;
import io.vine.security.ChannelPair;
import io.vine.security.crypto.ChaCha20Poly1305;
import io.vine.security.crypto.ChaCha20Poly1305.Implementation;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The transport ciphers are freed with their connection: the record layer closes its cipher state
 * on removal, the handshake handler its handshake cipher, so that many connections opened and
 * closed (and failed handshakes) leave no libcrypto contexts behind.
 */
class NoiseCipherLifecycleTest {
    private static final int CONNECTIONS = 120;
    private static final int FAILED_HANDSHAKES = 20;
    private static final int ECHO_BYTES = 200_000;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());

    @AfterEach
    void shutdown() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void recordLayerClosesItsCipherStatesWithTheChannel() throws Exception {
        byte[] key = new byte[32];
        CipherState send = new CipherState();
        send.initializeKey(key);
        CipherState receive = new CipherState();
        receive.initializeKey(key);
        EmbeddedChannel ch = new EmbeddedChannel(new NoiseRecordDecoder(receive), new NoiseRecordEncoder(send));
        ch.writeOutbound(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}));
        ch.writeInbound((ByteBuf) ch.readOutbound()); // same key both ways, nonce 0 on both
        assertThat(ChannelPair.readInboundBytes(ch)).containsExactly(1, 2, 3);
        assertThat(send.isClosed()).isFalse();
        assertThat(receive.isClosed()).isFalse();

        ch.close().sync();
        assertThat(send.isClosed()).isTrue();
        assertThat(receive.isClosed()).isTrue();
        assertThatThrownBy(() -> send.encrypt(ByteBuffer.allocate(1), ByteBuffer.allocate(17)))
                .isInstanceOf(IllegalStateException.class);
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void manyConnectionsAndFailedHandshakesLeaveNoNativeContexts() throws Exception {
        Assumptions.assumeTrue(Implementation.preferred() == Implementation.LIBCRYPTO, "libcrypto is not in use here");
        long before = settledNativeContexts();
        PrivKey serverKey = Keys.generateEd25519();
        PeerId serverId = PeerId.fromPublicKey(serverKey.publicKey());
        NoiseSecurity noise = new NoiseSecurity();
        Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        noise.secure(ch, new SecurityContext(serverKey, false, Optional.empty(), List.of()))
                                .thenRun(() -> ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                                    @Override
                                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                        ctx.writeAndFlush(msg); // echo
                                    }
                                }));
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            for (int i = 0; i < CONNECTIONS && System.nanoTime() < deadline; i++) {
                echoOnce(noise, server, serverId, i);
            }
            PeerId wrong = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
            for (int i = 0; i < FAILED_HANDSHAKES; i++) {
                Channel client = connect(server);
                CompletableFuture<SecureSession> session = secureClient(noise, client, wrong);
                assertThatThrownBy(() -> session.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
                client.closeFuture().await(30, TimeUnit.SECONDS);
            }
        } finally {
            server.close().sync();
        }
        // closed connections free their contexts at once (no GC needed); the server side closes on EOF
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (ChaCha20Poly1305.liveNativeContexts() > before && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(ChaCha20Poly1305.liveNativeContexts()).isLessThanOrEqualTo(before);
    }

    /** One connection: handshake, echo some bytes, check that four contexts are live, close. */
    private void echoOnce(NoiseSecurity noise, Channel server, PeerId serverId, int i) throws Exception {
        long before = ChaCha20Poly1305.liveNativeContexts();
        Channel client = connect(server);
        secureClient(noise, client, serverId).get(30, TimeUnit.SECONDS);
        CompletableFuture<Void> echoed = new CompletableFuture<>();
        client.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            private int received;

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                received += ((ByteBuf) msg).readableBytes();
                ((ByteBuf) msg).release();
                if (received >= ECHO_BYTES) {
                    echoed.complete(null);
                }
            }
        });
        client.writeAndFlush(Unpooled.wrappedBuffer(new byte[ECHO_BYTES]));
        echoed.get(30, TimeUnit.SECONDS);
        if (i == 0) { // both ends of this connection, one send and one receive cipher each
            assertThat(ChaCha20Poly1305.liveNativeContexts()).isGreaterThanOrEqualTo(before + 4);
        }
        client.close().sync();
    }

    private Channel connect(Channel server) throws InterruptedException {
        return new Bootstrap().group(group).channel(NioSocketChannel.class).handler(new ChannelInboundHandlerAdapter())
                .connect(server.localAddress()).sync().channel();
    }

    private static CompletableFuture<SecureSession> secureClient(NoiseSecurity noise, Channel client, PeerId expected)
            throws Exception {
        return client.eventLoop().submit(() -> noise.secure(client,
                new SecurityContext(Keys.generateEd25519(), true, Optional.of(expected), List.of()))).get(30, TimeUnit.SECONDS);
    }

    /** The live count once unreachable contexts of earlier tests have been collected. */
    private static long settledNativeContexts() throws InterruptedException {
        long last = -1;
        for (int i = 0; i < 50; i++) {
            System.gc();
            Thread.sleep(50);
            long now = ChaCha20Poly1305.liveNativeContexts();
            if (now == last) {
                return now;
            }
            last = now;
        }
        return last;
    }
}
