package io.vine.security.noise;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.vine.core.SecureSession;
import io.vine.core.SecurityContext;
import io.vine.core.crypto.Keys;
import io.vine.core.crypto.PrivKey;
import io.vine.core.peer.PeerId;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Noise over real TCP sockets on the loopback interface, with real event loops and pooled buffers. */
class NoiseLoopbackTest {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());

    @AfterEach
    void shutdown() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void echoOfMegabytesOverTcp() throws Exception {
        PrivKey serverKey = Keys.generateEd25519();
        PrivKey clientKey = Keys.generateEd25519();
        NoiseSecurity noise = new NoiseSecurity(); // one instance serves both ends and many connections
        CompletableFuture<SecureSession> serverSession = new CompletableFuture<>();

        Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        noise.secure(ch, new SecurityContext(serverKey, false, Optional.empty(), List.of("/yamux/1.0.0")))
                                .whenComplete((s, e) -> {
                                    if (e != null) {
                                        serverSession.completeExceptionally(e);
                                        return;
                                    }
                                    ch.pipeline().addLast(new ChannelInboundHandlerAdapter() { // echo
                                        @Override
                                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                            ctx.writeAndFlush(msg);
                                        }
                                    });
                                    serverSession.complete(s);
                                });
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();

        byte[] data = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(data);
        ByteArrayOutputStream echoed = new ByteArrayOutputStream();
        CompletableFuture<byte[]> done = new CompletableFuture<>();
        Channel client = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInboundHandlerAdapter())
                .connect(server.localAddress()).sync().channel();
        CompletableFuture<SecureSession> clientSession = client.eventLoop().submit(() -> noise.secure(client,
                new SecurityContext(clientKey, true, Optional.of(PeerId.fromPublicKey(serverKey.publicKey())),
                        List.of("/yamux/1.0.0")))).get();
        clientSession.thenAccept(s -> {
            client.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ByteBuf b = (ByteBuf) msg;
                    byte[] chunk = new byte[b.readableBytes()];
                    b.readBytes(chunk);
                    b.release();
                    echoed.write(chunk, 0, chunk.length);
                    if (echoed.size() >= data.length) {
                        done.complete(echoed.toByteArray());
                    }
                }
            });
            client.writeAndFlush(Unpooled.wrappedBuffer(data));
        });

        assertThat(done.get(20, TimeUnit.SECONDS)).isEqualTo(data);
        assertThat(clientSession.get().earlyMuxer()).contains("/yamux/1.0.0");
        assertThat(serverSession.get().remotePeer()).isEqualTo(PeerId.fromPublicKey(clientKey.publicKey()));
        client.close().sync();
        server.close().sync();
    }
}
