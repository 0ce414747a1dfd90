package io.vine.protocol.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.vine.core.Protocol;
import io.vine.core.ProtocolContext;
import io.vine.core.StreamChannel;
import io.vine.core.peer.PeerId;
import io.vine.protocol.relay.internal.pb.RelayProto;
import java.time.Duration;
import java.util.List;
import java.util.function.BiFunction;

/**
 * A relay on the wire that says what a test scripts and enforces nothing: its answer to RESERVE
 * comes from {@code reservation} (given the relay's context and the client), and a CONNECT is passed
 * to the target (STOP) and then spliced, both sides told {@code limit} (null: none), which this relay
 * never applies. For testing what a client makes of a relay's claims.
 */
final class ScriptedRelay implements Protocol {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final BiFunction<ProtocolContext, PeerId, RelayProto.HopMessage> reservation;
    private final RelayProto.Limit limit;
    private volatile ProtocolContext context;

    ScriptedRelay(BiFunction<ProtocolContext, PeerId, RelayProto.HopMessage> reservation, RelayProto.Limit limit) {
        this.reservation = reservation;
        this.limit = limit;
    }

    @Override
    public List<String> protocolIds() {
        return List.of(RelayService.HOP_PROTOCOL_ID);
    }

    @Override
    public void start(ProtocolContext context) {
        this.context = context;
    }

    @Override
    public void acceptInboundStream(StreamChannel hop, String protocolId) {
        PeerId src = hop.connection().remotePeer();
        hop.pipeline().addLast(new SingleMessageReader(TIMEOUT) {
            @Override
            protected void onMessage(ChannelHandlerContext ctx, byte[] message) {
                RelayProto.HopMessage m = RelayMessages.parseHop(message);
                if (m.getType() == RelayProto.HopMessage.Type.RESERVE) {
                    ctx.writeAndFlush(RelayMessages.frame(ctx.alloc(), reservation.apply(context, src)))
                            .addListener(ChannelFutureListener.CLOSE);
                    return;
                }
                PeerId dst = RelayMessages.peerId(m.hasPeer(), m.getPeer());
                ByteBuf hopRest = takeRest(ctx);
                context.connections(dst).getFirst().newStream(RelayTransport.STOP_PROTOCOL_ID)
                        .thenAccept(stop -> stop.eventLoop().execute(() -> connect(hop, hopRest, stop, src)));
            }

            @Override
            protected void onFailure(ChannelHandlerContext ctx, RelayException cause) {
                ctx.close();
            }
        });
    }

    private void connect(StreamChannel hop, ByteBuf hopRest, StreamChannel stop, PeerId src) {
        stop.pipeline().addLast(new SingleMessageReader(TIMEOUT) {
            @Override
            protected void onMessage(ChannelHandlerContext ctx, byte[] message) {
                ByteBuf stopRest = takeRest(ctx);
                RelayProto.HopMessage.Builder ok = RelayMessages.hopStatus(RelayStatus.OK).toBuilder();
                if (limit != null) {
                    ok.setLimit(limit);
                }
                hop.writeAndFlush(RelayMessages.frame(hop.alloc(), ok.build()));
                splice(hop, stop, hopRest);
                splice(stop, hop, stopRest);
            }

            @Override
            protected void onFailure(ChannelHandlerContext ctx, RelayException cause) {
                hopRest.release();
                ctx.close();
                hop.close();
            }
        });
        RelayProto.StopMessage.Builder connect = RelayProto.StopMessage.newBuilder()
                .setType(RelayProto.StopMessage.Type.CONNECT).setPeer(RelayMessages.peer(src));
        if (limit != null) {
            connect.setLimit(limit);
        }
        stop.writeAndFlush(RelayMessages.frame(stop.alloc(), connect.build()));
        stop.config().setAutoRead(true);
    }

    /** Passes everything {@code from} reads, starting with {@code rest}, to {@code to}; an end ends both. */
    private static void splice(Channel from, Channel to, ByteBuf rest) {
        if (rest.isReadable()) {
            to.writeAndFlush(rest);
        } else {
            rest.release();
        }
        from.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                to.writeAndFlush(msg);
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                if (evt instanceof ChannelInputShutdownEvent) {
                    ctx.close();
                    to.close();
                }
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                to.close();
            }
        });
        from.config().setAutoRead(true);
    }
}
