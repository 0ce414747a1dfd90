package io.vine.security.tls;

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
import io.netty.handler.ssl.SslHandler;
import io.vine.core.SecureSession;
import io.vine.core.SecurityContext;
import io.vine.core.SecurityProtocol;
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
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** TLS over real TCP sockets on the loopback interface, with real event loops and pooled buffers. */
class TlsLoopbackTest {
    private static final String YAMUX = "/yamux/1.0.0";
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final PrivKey serverKey = Keys.generateEd25519();
    private final PrivKey clientKey = Keys.generateEd25519();

    @AfterEach
    void shutdown() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void echoOfMegabytesOverTcp() throws Exception {
        TlsSecurity tls = new TlsSecurity(); // one instance serves both ends and many connections
        CompletableFuture<SecureSession> serverSession = new CompletableFuture<>();
        Channel server = listen(tls, serverSession, ch -> ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ctx.writeAndFlush(msg); // echo
            }
        }));
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(data);
        ByteArrayOutputStream echoed = new ByteArrayOutputStream();
        CompletableFuture<byte[]> done = new CompletableFuture<>();
        Channel client = connect(server);
        CompletableFuture<SecureSession> clientSession = secureClient(tls, client);
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
        assertThat(clientSession.get().earlyMuxer()).contains(YAMUX);
        assertThat(clientSession.get().remotePeer()).isEqualTo(PeerId.fromPublicKey(serverKey.publicKey()));
        assertThat(serverSession.get().remotePeer()).isEqualTo(PeerId.fromPublicKey(clientKey.publicKey()));
        assertThat(serverSession.get().earlyMuxer()).contains(YAMUX);
        SslHandler ssl = client.pipeline().get(SslHandler.class);
        assertThat(ssl.engine().getSession().getCipherSuite()).isEqualTo("TLS_AES_128_GCM_SHA256");
        client.close().sync();
        server.close().sync();
    }

    /** Prints the throughput; {@code -Dvine.tls.bulkMiB=512} (and no leak detection) for a real measurement. */
    @Test
    void bulkTransferThroughput() throws Exception {
        long mib = Long.getLong("vine.tls.bulkMiB", 16);
        bulk(new TlsSecurity(), mib * 1024 * 1024);
    }

    /** The same measurement with Noise, for comparison; runs only when a size is given. */
    @Test
    @EnabledIfSystemProperty(named = "vine.tls.bulkMiB", matches = "\\d+")
    void noiseBulkTransferForComparison() throws Exception {
        long mib = Long.getLong("vine.tls.bulkMiB");
        bulk(new io.vine.security.noise.NoiseSecurity(), mib * 1024 * 1024);
    }

    /** Sends {@code total} bytes one way in 64 KiB writes, honouring writability; returns the seconds taken. */
    private double bulk(SecurityProtocol security, long total) throws Exception {
        CompletableFuture<Long> received = new CompletableFuture<>();
        long[] count = {0};
        Channel server = listen(security, new CompletableFuture<>(), ch -> ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf b = (ByteBuf) msg;
                count[0] += b.readableBytes();
                b.release();
                if (count[0] >= total) {
                    received.complete(count[0]);
                }
            }
        }));
        Channel client = connect(server);
        secureClient(security, client).get(10, TimeUnit.SECONDS);
        ByteBuf chunk = Unpooled.directBuffer(64 * 1024).writeZero(64 * 1024);
        long start = System.nanoTime();
        long cpuStart = cpuNanos();
        client.eventLoop().execute(() -> client.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            long sent;

            @Override
            public void handlerAdded(ChannelHandlerContext ctx) {
                send(ctx);
            }

            @Override
            public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                send(ctx);
                ctx.fireChannelWritabilityChanged();
            }

            private void send(ChannelHandlerContext ctx) {
                while (sent < total && ctx.channel().isWritable()) {
                    int n = (int) Math.min(chunk.capacity(), total - sent);
                    ctx.write(chunk.retainedSlice(0, n));
                    sent += n;
                }
                ctx.flush();
            }
        }));
        assertThat(received.get(120, TimeUnit.SECONDS)).isEqualTo(total);
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (cpuNanos() - cpuStart) / 1e9;
        System.out.printf("%s: %d MiB in %.2f s wall, %.2f s CPU (both ends): %.0f MiB/s, %.0f MiB per CPU-second%n",
                security.protocolId(), total >> 20, seconds, cpuSeconds, (total >> 20) / seconds, (total >> 20) / cpuSeconds);
        chunk.release();
        client.close().sync();
        server.close().sync();
        return seconds;
    }

    /** CPU time of this process: a measure that the other processes on a busy machine do not distort. */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private Channel listen(SecurityProtocol security, CompletableFuture<SecureSession> session, Consumer<Channel> app)
            throws InterruptedException {
        return new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        security.secure(ch, new SecurityContext(serverKey, false, Optional.empty(), List.of(YAMUX)))
                                .whenComplete((s, e) -> {
                                    if (e != null) {
                                        session.completeExceptionally(e);
                                        return;
                                    }
                                    app.accept(ch);
                                    session.complete(s);
                                });
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
    }

    private Channel connect(Channel server) throws InterruptedException {
        return new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInboundHandlerAdapter())
                .connect(server.localAddress()).sync().channel();
    }

    private CompletableFuture<SecureSession> secureClient(SecurityProtocol security, Channel client) throws Exception {
        return client.eventLoop().submit(() -> security.secure(client, new SecurityContext(clientKey, true,
                Optional.of(PeerId.fromPublicKey(serverKey.publicKey())), List.of(YAMUX)))).get();
    }
}
