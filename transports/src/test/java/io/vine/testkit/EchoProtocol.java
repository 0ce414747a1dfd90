package io.vine.testkit;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.vine.core.Connection;
import io.vine.core.Protocol;
import io.vine.core.StreamChannel;
import io.vine.core.SwarmEvent;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A test protocol that writes back every byte a stream brings and half-closes when the remote does.
 * It records what the swarm told it: the streams it accepted, connections and events.
 */
public final class EchoProtocol implements Protocol {
    public static final String ID = "/vine/test/echo/1.0.0";

    public final BlockingQueue<StreamChannel> accepted = new LinkedBlockingQueue<>();
    public final BlockingQueue<Connection> opened = new LinkedBlockingQueue<>();
    public final BlockingQueue<Connection> closed = new LinkedBlockingQueue<>();
    public final BlockingQueue<SwarmEvent> events = new LinkedBlockingQueue<>();
    private final List<String> ids;

    public EchoProtocol() {
        this(ID);
    }

    public EchoProtocol(String... ids) {
        this.ids = List.of(ids);
    }

    @Override
    public List<String> protocolIds() {
        return ids;
    }

    @Override
    public void onConnectionOpened(Connection connection) {
        opened.add(connection);
    }

    @Override
    public void onConnectionClosed(Connection connection) {
        closed.add(connection);
    }

    @Override
    public void onEvent(SwarmEvent event) {
        events.add(event);
    }

    @Override
    public void acceptInboundStream(StreamChannel stream, String protocolId) {
        stream.pipeline().addLast(new Echo());
        accepted.add(stream);
    }

    /** Echoes bytes; answers a half-close with a half-close. */
    @ChannelHandler.Sharable
    public static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.writeAndFlush(msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent && ctx.channel() instanceof StreamChannel s) {
                s.shutdownOutput();
            }
            ctx.fireUserEventTriggered(evt);
        }
    }
}
