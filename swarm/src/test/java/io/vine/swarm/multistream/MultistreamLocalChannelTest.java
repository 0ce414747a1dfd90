package io.vine.swarm.multistream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real channels with auto-read off: the handler must request the reads negotiation needs. */
class MultistreamLocalChannelTest {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, LocalIoHandler.newFactory());

    @AfterEach
    void tearDown() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void negotiatesWithAutoReadOffAndHoldsUntilTheUserReads() throws Exception {
        LocalAddress address = new LocalAddress("multistream-" + System.nanoTime());
        CompletableFuture<String> serverSelected = new CompletableFuture<>();
        Channel server = new ServerBootstrap().group(group).channel(LocalServerChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<LocalChannel>() {
                    @Override
                    protected void initChannel(LocalChannel ch) {
                        MultistreamSelect.respond(ch, "/echo/1.0.0"::equals, new MultistreamSelect.Selection() {
                            @Override
                            public void selected(ChannelHandlerContext ctx, String protocol) {
                                ctx.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                                    @Override
                                    public void channelRead(ChannelHandlerContext c, Object msg) {
                                        c.writeAndFlush(msg);
                                    }
                                });
                                ctx.channel().config().setAutoRead(true);
                                serverSelected.complete(protocol);
                            }

                            @Override
                            public void failed(ChannelHandlerContext ctx, Throwable cause) {
                                serverSelected.completeExceptionally(cause);
                                ctx.close();
                            }
                        });
                    }
                }).bind(address).sync().channel();

        Channel client = new Bootstrap().group(group).channel(LocalChannel.class)
                .option(ChannelOption.AUTO_READ, false)
                .handler(new ChannelInboundHandlerAdapter()).connect(address).sync().channel();
        CompletableFuture<String> clientSelected = new CompletableFuture<>();
        StringBuilder echoed = new StringBuilder();
        CompletableFuture<String> echoDone = new CompletableFuture<>();
        client.eventLoop().execute(() -> MultistreamSelect.initiate(client, List.of("/nope", "/echo/1.0.0"),
                new MultistreamSelect.Selection() {
                    @Override
                    public void selected(ChannelHandlerContext ctx, String protocol) {
                        ctx.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext c, Object msg) {
                                ByteBuf buf = (ByteBuf) msg;
                                echoed.append(buf.toString(StandardCharsets.UTF_8));
                                buf.release();
                                if (echoed.length() >= 5) {
                                    echoDone.complete(echoed.toString());
                                }
                                c.read();
                            }
                        });
                        clientSelected.complete(protocol);
                    }

                    @Override
                    public void failed(ChannelHandlerContext ctx, Throwable cause) {
                        clientSelected.completeExceptionally(cause);
                    }
                }, true));

        assertThat(clientSelected.get(5, TimeUnit.SECONDS)).isEqualTo("/echo/1.0.0");
        assertThat(serverSelected.get(5, TimeUnit.SECONDS)).isEqualTo("/echo/1.0.0");
        client.writeAndFlush(Unpooled.copiedBuffer("hello", StandardCharsets.UTF_8)).sync();
        // Nothing is delivered until the user asks for it.
        Thread.sleep(50);
        assertThat(echoDone).isNotDone();
        client.read();
        assertThat(echoDone.get(5, TimeUnit.SECONDS)).isEqualTo("hello");
        client.eventLoop().submit(() -> {
            assertThat(client.pipeline().get(DialerHandler.class)).isNull();
        }).sync();
        client.close().sync();
        server.close().sync();
    }
}
