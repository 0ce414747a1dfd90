package io.vine.protocol.autonat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.vine.core.Connection;
import io.vine.core.ProtocolContext;
import io.vine.core.StreamChannel;
import io.vine.core.codec.VarintFrameDecoder;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.peer.PeerId;
import io.vine.protocol.autonat.internal.pb.AutoNatProto;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's dial-back: a new connection to the selected address (never one already open), a
 * {@code /libp2p/autonat/2/dial-back} stream carrying the nonce, the client's
 * {@code DialBackResponse}, and the connection closed again. Completes with the spec's DialStatus:
 * E_DIAL_ERROR when no connection could be made, E_DIAL_BACK_ERROR when the stream failed, OK.
 */
final class DialBacker {
    private static final Logger log = LoggerFactory.getLogger(DialBacker.class);

    private DialBacker() {}

    static CompletableFuture<AutoNatProto.DialStatus> dialBack(ProtocolContext context, Multiaddr address,
            PeerId client, long nonce, Duration timeout) {
        CompletableFuture<AutoNatProto.DialStatus> result = new CompletableFuture<>();
        CompletableFuture<Connection> dial = context.dial(address.withPeerId(client), true);
        dial.copy().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((connection, e) -> {
                    if (e != null) {
                        log.debug("dial-back to {} failed: {}", address, e.toString());
                        result.complete(AutoNatProto.DialStatus.E_DIAL_ERROR);
                        dial.thenAccept(Connection::close); // a dial that succeeds after the timeout
                    } else {
                        sendNonce(connection, nonce, timeout, result);
                    }
                });
        return result;
    }

    private static void sendNonce(Connection connection, long nonce, Duration timeout,
            CompletableFuture<AutoNatProto.DialStatus> result) {
        CompletableFuture<Void> answered = new CompletableFuture<>();
        connection.newStream(AutoNat.DIAL_BACK_ID).thenAccept(stream -> stream.eventLoop().execute(() -> {
            stream.pipeline().addLast(new VarintFrameDecoder(Messages.MAX_MESSAGE_BYTES), new Sender(nonce, answered));
            stream.config().setAutoRead(true);
        })).exceptionally(e -> {
            answered.completeExceptionally(e);
            return null;
        });
        answered.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((v, e) -> {
            if (e != null) {
                log.debug("dial-back stream to {} failed: {}", connection.remoteAddress(), e.toString());
            }
            result.complete(e == null ? AutoNatProto.DialStatus.OK : AutoNatProto.DialStatus.E_DIAL_BACK_ERROR);
            connection.close();
        });
    }

    /** Writes the DialBack and waits for the client's DialBackResponse. */
    static final class Sender extends ChannelInboundHandlerAdapter {
        private final long nonce;
        private final CompletableFuture<Void> answered;

        Sender(long nonce, CompletableFuture<Void> answered) {
            this.nonce = nonce;
            this.answered = answered;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(Messages.frame(ctx.alloc(), AutoNatProto.DialBack.newBuilder().setNonce(nonce).build()))
                    .addListener(f -> {
                        if (!f.isSuccess()) {
                            fail(ctx, f.cause());
                        }
                    });
            answered.whenComplete((v, e) -> {
                if (e != null && ctx.channel().isActive()) {
                    ((StreamChannel) ctx.channel()).reset();
                }
            });
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof ByteBuf frame && !answered.isDone()) {
                    Messages.parseDialBackResponse(frame);
                    answered.complete(null);
                    ctx.close();
                }
            } catch (AutoNatException e) {
                fail(ctx, e);
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            fail(ctx, new AutoNatException("dial-back stream closed before a response"));
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(ctx, cause);
        }

        private void fail(ChannelHandlerContext ctx, Throwable cause) {
            answered.completeExceptionally(cause);
        }
    }
}
