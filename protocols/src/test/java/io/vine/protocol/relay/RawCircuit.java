package io.vine.protocol.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.vine.core.Connection;
import io.vine.core.Protocol;
import io.vine.core.StreamChannel;
import io.vine.core.peer.PeerId;
import io.vine.protocol.relay.internal.pb.RelayProto;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A circuit through a relay with raw ends that hold no limit themselves (a vine client closes a
 * circuit at the limit the relay announced): so what is seen is the relay's own enforcement. The
 * dialer sends CONNECT on a hop stream and then raw bytes; the target's {@link EchoStop} answers the
 * STOP with OK and echoes every byte.
 */
final class RawCircuit {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    final StreamChannel stream;
    final AtomicLong echoed = new AtomicLong();

    private RawCircuit(StreamChannel stream) {
        this.stream = stream;
    }

    /** Reserves on the relay at the other end of {@code toRelay} by a raw RESERVE; throws unless OK. */
    static void reserve(Connection toRelay) throws Exception {
        RelayProto.HopMessage m = RawStreams.hop(RawStreams.exchange(toRelay, RelayService.HOP_PROTOCOL_ID,
                RawStreams.reserveRequest()));
        if (m.getStatus() != RelayProto.Status.OK) {
            throw new AssertionError("reservation: " + m.getStatus());
        }
    }

    /** CONNECT to {@code target} through the relay of {@code toRelay}; the circuit once OK. */
    static RawCircuit connect(Connection toRelay, PeerId target) {
        StreamChannel s = toRelay.newStream(RelayService.HOP_PROTOCOL_ID).orTimeout(10, TimeUnit.SECONDS).join();
        RawCircuit circuit = new RawCircuit(s);
        CompletableFuture<RawCircuit> open = new CompletableFuture<>();
        s.eventLoop().execute(() -> {
            s.pipeline().addLast(new SingleMessageReader(TIMEOUT) {
                @Override
                protected void onMessage(ChannelHandlerContext ctx, byte[] message) {
                    RelayProto.HopMessage m = RelayMessages.parseHop(message);
                    ByteBuf rest = takeRest(ctx);
                    circuit.echoed.addAndGet(rest.readableBytes());
                    rest.release();
                    if (m.getStatus() != RelayProto.Status.OK) {
                        open.completeExceptionally(new AssertionError("connect: " + m.getStatus()));
                        return;
                    }
                    s.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            circuit.echoed.addAndGet(((ByteBuf) msg).readableBytes());
                            ((ByteBuf) msg).release();
                        }

                        @Override
                        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                            if (evt instanceof ChannelInputShutdownEvent) {
                                ctx.close(); // the relay ended the circuit
                            }
                        }
                    });
                    s.config().setAutoRead(true);
                    open.complete(circuit);
                }

                @Override
                protected void onFailure(ChannelHandlerContext ctx, RelayException cause) {
                    open.completeExceptionally(cause);
                }
            });
            s.writeAndFlush(RelayMessages.frame(s.alloc(), RelayProto.HopMessage.newBuilder()
                    .setType(RelayProto.HopMessage.Type.CONNECT).setPeer(RelayMessages.peer(target)).build()));
            s.config().setAutoRead(true);
        });
        return open.orTimeout(15, TimeUnit.SECONDS).join();
    }

    /** Sends {@code total} zero bytes in chunks of 16 KiB, each after the previous one was written. */
    void send(int total) {
        for (int sent = 0; sent < total && stream.isActive(); sent += 16 * 1024) {
            try {
                stream.writeAndFlush(Unpooled.wrappedBuffer(new byte[Math.min(16 * 1024, total - sent)]))
                        .await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The target's side: answers a STOP CONNECT with OK, then echoes every byte. */
    static final class EchoStop implements Protocol {
        @Override
        public List<String> protocolIds() {
            return List.of(RelayTransport.STOP_PROTOCOL_ID);
        }

        @Override
        public void acceptInboundStream(StreamChannel stream, String protocolId) {
            stream.pipeline().addLast(new SingleMessageReader(TIMEOUT) {
                @Override
                protected void onMessage(ChannelHandlerContext ctx, byte[] message) {
                    ByteBuf rest = takeRest(ctx);
                    stream.writeAndFlush(RelayMessages.frame(stream.alloc(), RelayMessages.stopStatus(RelayStatus.OK)));
                    if (rest.isReadable()) {
                        stream.writeAndFlush(rest);
                    } else {
                        rest.release();
                    }
                    stream.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ctx.writeAndFlush(msg);
                        }

                        @Override
                        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                            if (evt instanceof ChannelInputShutdownEvent) {
                                ctx.close();
                            }
                        }
                    });
                    stream.config().setAutoRead(true);
                }

                @Override
                protected void onFailure(ChannelHandlerContext ctx, RelayException cause) {
                    ctx.close();
                }
            });
        }
    }
}
