package io.vine.cli.control;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.vine.core.Connection;
import io.vine.core.Direction;
import io.vine.core.SwarmEvent;
import io.vine.swarm.Swarm;
import io.vine.swarm.SwarmMetrics;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The swarm's connection counters under their control API names, and bytes per connection (a handler
 * at the head of each connection's pipeline). What each counter means: {@code handshakes_started} =
 * upgrades (security, then muxer) begun on raw connections, dialed or accepted
 * ({@link SwarmMetrics#handshakesStarted()}); {@code handshakes_completed} = upgrades that produced a
 * connection; {@code connect_attempts} = outbound connections opened + dials failed (counted from the
 * swarm's events); {@code connect_failures} = dials failed; {@code backoff_skips} = dials the swarm
 * refused without trying because the peer was in its dial back-off ({@link SwarmMetrics#backoffSkips()}).
 */
public final class SwarmCounters implements AutoCloseable {
    private final Swarm swarm;
    private final AtomicLong outboundOpened = new AtomicLong();
    private final AtomicLong dialFailed = new AtomicLong();
    private final Map<String, ByteCounter> bytes = new ConcurrentHashMap<>();
    private final AutoCloseable subscription;

    public SwarmCounters(Swarm swarm) {
        this.swarm = swarm;
        subscription = swarm.subscribe(this::onEvent);
    }

    private void onEvent(SwarmEvent e) {
        switch (e) {
            case SwarmEvent.ConnectionOpened o -> {
                if (o.connection().direction() == Direction.OUTBOUND) {
                    outboundOpened.incrementAndGet();
                }
                attach(o.connection());
            }
            case SwarmEvent.ConnectionClosed c -> bytes.remove(c.connection().id());
            case SwarmEvent.DialFailed d -> dialFailed.incrementAndGet();
            default -> { }
        }
    }

    private void attach(Connection c) {
        ByteCounter counter = new ByteCounter();
        try {
            c.channel().pipeline().addFirst("vine-cli-bytes", counter);
            bytes.put(c.id(), counter);
        } catch (RuntimeException ignored) {
            // closed already or a pipeline that refuses: no byte counts for this connection
        }
    }

    /** Bytes read and written on connection {@code id} (as the connection's channel sees them), if counted. */
    public Optional<long[]> bytes(String connectionId) {
        ByteCounter c = bytes.get(connectionId);
        return c == null ? Optional.empty() : Optional.of(new long[] {c.in.get(), c.out.get()});
    }

    /** The counters by name, in a stable order. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        SwarmMetrics s = swarm.metrics();
        m.put("handshakes_started", s.handshakesStarted());
        m.put("handshakes_completed", s.handshakesCompleted());
        m.put("connect_attempts", outboundOpened.get() + dialFailed.get());
        m.put("connect_failures", dialFailed.get());
        m.put("backoff_skips", s.backoffSkips());
        return m;
    }

    @Override
    public void close() {
        try {
            subscription.close();
        } catch (Exception ignored) {
            // unsubscribing from a closing swarm
        }
    }

    @ChannelHandler.Sharable
    private static final class ByteCounter extends ChannelDuplexHandler {
        final AtomicLong in = new AtomicLong();
        final AtomicLong out = new AtomicLong();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            in.addAndGet(size(msg));
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            out.addAndGet(size(msg));
            ctx.write(msg, promise);
        }

        private static long size(Object msg) {
            if (msg instanceof ByteBuf b) {
                return b.readableBytes();
            }
            return msg instanceof ByteBufHolder h ? h.content().readableBytes() : 0;
        }
    }
}
