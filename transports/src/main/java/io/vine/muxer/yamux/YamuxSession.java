package io.vine.muxer.yamux;

import static io.vine.muxer.yamux.YamuxFrame.DEFAULT_WINDOW;
import static io.vine.muxer.yamux.YamuxFrame.FLAG_ACK;
import static io.vine.muxer.yamux.YamuxFrame.FLAG_FIN;
import static io.vine.muxer.yamux.YamuxFrame.FLAG_RST;
import static io.vine.muxer.yamux.YamuxFrame.FLAG_SYN;
import static io.vine.muxer.yamux.YamuxFrame.MAX_LENGTH;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import io.vine.core.Direction;
import io.vine.core.LimitExceededException;
import io.vine.core.MuxedSession;
import io.vine.core.StreamChannel;
import io.vine.core.StreamException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The yamux session of one connection: the last handler of the connection's pipeline, after {@link
 * YamuxFrameDecoder}. Owns the stream table; every field is confined to the connection's event loop.
 */
final class YamuxSession extends ChannelInboundHandlerAdapter implements MuxedSession {

    private static final Logger log = LoggerFactory.getLogger(YamuxSession.class);

    private final Channel channel;
    private final boolean initiator;
    private final YamuxConfig config;
    private final Consumer<StreamChannel> inbound;
    private final Map<Integer, YamuxStream> streams = new HashMap<>();
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    private final YamuxPinger pinger;
    private ChannelHandlerContext ctx;
    /** How long a closing session waits for its GoAway to leave before it closes the connection anyway. */
    static final long CLOSE_GRACE_MILLIS = 2000;
    private long nextStreamId;
    private int ackBacklog;
    private long windowTotal;
    private volatile boolean goAwaySent;
    private volatile boolean goAwayReceived;
    private volatile boolean inactive;
    private boolean pingerStarted;
    private volatile int streamCount;

    YamuxSession(Channel channel, boolean initiator, YamuxConfig config, Consumer<StreamChannel> inbound) {
        this.channel = channel;
        this.initiator = initiator;
        this.config = config;
        this.inbound = inbound;
        this.nextStreamId = initiator ? 1 : 2;
        this.pinger = new YamuxPinger(this, config.keepAliveInterval());
    }

    Channel channel() {
        return channel;
    }

    // ---- MuxedSession ----

    @Override
    public CompletableFuture<StreamChannel> openStream() {
        CompletableFuture<StreamChannel> future = new CompletableFuture<>();
        onLoop(() -> open(future), future);
        return future;
    }

    @Override
    public boolean acceptsStreams() {
        return !inactive && !goAwaySent && !goAwayReceived;
    }

    @Override
    public int streamCount() {
        return streamCount;
    }

    @Override
    public CompletableFuture<Void> close() {
        onLoop(() -> {
            if (!inactive) {
                ChannelFuture sent = goAway(YamuxFrame.GO_AWAY_NORMAL);
                sent.addListener(ChannelFutureListener.CLOSE);
                // A GoAway that cannot leave (a dead link, its send buffer full) must not hold the
                // connection open until TCP gives up, minutes later: close anyway after a grace.
                channel.eventLoop().schedule(() -> {
                    if (!sent.isDone()) {
                        channel.close();
                    }
                }, CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
            }
        }, closeFuture);
        return closeFuture;
    }

    private void onLoop(Runnable task, CompletableFuture<?> future) {
        EventLoop loop = channel.eventLoop();
        if (loop.inEventLoop()) {
            task.run();
            return;
        }
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            future.completeExceptionally(new StreamException("connection closed", e));
        }
    }

    private void open(CompletableFuture<StreamChannel> future) {
        if (inactive || ctx == null || goAwaySent) {
            future.completeExceptionally(new StreamException("connection closed"));
        } else if (goAwayReceived) {
            future.completeExceptionally(new StreamException("remote sent GoAway: no new streams"));
        } else if (streams.size() >= config.maxStreams()) {
            future.completeExceptionally(
                    new LimitExceededException("maxStreams: " + config.maxStreams() + " streams open"));
        } else if (ackBacklog >= config.maxAckBacklog()) {
            future.completeExceptionally(new LimitExceededException(
                    "maxAckBacklog: " + config.maxAckBacklog() + " streams not acknowledged by the remote"));
        } else if (nextStreamId > MAX_LENGTH) {
            future.completeExceptionally(new StreamException("stream ids exhausted"));
        } else {
            int id = (int) nextStreamId;
            nextStreamId += 2;
            YamuxStream stream = add(id, Direction.OUTBOUND);
            ackBacklog++;
            stream.grantInitial(FLAG_SYN, config.initialWindow() - DEFAULT_WINDOW);
            future.complete(stream);
            // The SYN goes out with the opener's first write, or at the latest in the next task: not
            // now, as over an in-process transport the remote may answer within this very flush, and
            // its first bytes must find the opener's handlers in place (which it installs in this task).
            try {
                channel.eventLoop().execute(this::flush);
            } catch (RejectedExecutionException e) {
                // the loop is shutting down: the connection goes with it
            }
        }
    }

    private YamuxStream add(int id, Direction direction) {
        YamuxStream stream = new YamuxStream(this, id, direction, config);
        streams.put(id, stream);
        streamCount = streams.size();
        windowTotal += stream.recvWindow();
        channel.eventLoop().register(stream);
        return stream;
    }

    // ---- inbound frames ----

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (channel.isActive()) {
            startPinger();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        startPinger();
        ctx.fireChannelActive();
    }

    private void startPinger() {
        if (!pingerStarted) {
            pingerStarted = true;
            pinger.start();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof YamuxFrame frame)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            switch (frame.type()) {
                case YamuxFrame.TYPE_PING -> onPing(frame);
                case YamuxFrame.TYPE_GO_AWAY -> onGoAway(frame);
                default -> onStreamFrame(frame);
            }
        } catch (YamuxProtocolException e) {
            protocolError(e);
        } finally {
            frame.release();
        }
    }

    private void onPing(YamuxFrame frame) {
        if (frame.hasFlag(FLAG_SYN)) {
            writeControl(YamuxFrame.TYPE_PING, FLAG_ACK, 0, frame.length());
            flush();
        } else {
            pinger.onPong(frame.length());
        }
    }

    private void onGoAway(YamuxFrame frame) {
        goAwayReceived = true;
        if (frame.length() != YamuxFrame.GO_AWAY_NORMAL) {
            log.debug("{}: remote sent GoAway with error code {}", channel, frame.length());
        }
    }

    private void onStreamFrame(YamuxFrame frame) {
        int id = frame.streamId();
        YamuxStream stream = streams.get(id);
        if (frame.hasFlag(FLAG_SYN)) {
            if (stream != null) {
                throw new YamuxProtocolException("SYN for stream " + Integer.toUnsignedLong(id) + " already open");
            }
            stream = accept(id);
            if (stream == null) {
                return;
            }
        } else if (stream == null) {
            // A stream already reset or forgotten: what is still in flight is dropped.
            return;
        }
        if (frame.hasFlag(FLAG_ACK)) {
            stream.onAck();
        }
        if (frame.type() == YamuxFrame.TYPE_WINDOW_UPDATE) {
            stream.onWindowUpdate(frame.length());
        } else if (frame.length() > 0) {
            stream.onData(frame.content());
        }
        if (frame.hasFlag(FLAG_RST)) {
            stream.onReset();
        } else if (frame.hasFlag(FLAG_FIN)) {
            stream.onFin();
        }
    }

    private YamuxStream accept(int id) {
        if (((id & 1) == 1) == initiator) {
            throw new YamuxProtocolException("SYN stream id: " + Integer.toUnsignedLong(id) + " (expected: "
                    + (initiator ? "even" : "odd") + ", the remote's parity)");
        }
        if (goAwaySent || streams.size() >= config.maxStreams()) {
            writeControl(YamuxFrame.TYPE_WINDOW_UPDATE, FLAG_RST, id, 0);
            flush();
            return null;
        }
        YamuxStream stream = add(id, Direction.INBOUND);
        if (config.initialWindow() > DEFAULT_WINDOW) {
            stream.grantInitial(0, config.initialWindow() - DEFAULT_WINDOW);
        }
        try {
            inbound.accept(stream);
        } catch (RuntimeException e) {
            log.warn("{}: inbound stream handler failed, resetting stream {}", channel, stream.streamId(), e);
            stream.reset();
        }
        // Flushed once the handlers are in place (an in-process remote may answer within the flush).
        flush();
        return stream.isOpen() ? stream : null;
    }

    // ---- called by the streams ----

    void acked(YamuxStream stream) {
        ackBacklog--;
    }

    void forget(YamuxStream stream) {
        if (streams.remove(stream.wireId(), stream)) {
            stream.forgotten();
            streamCount = streams.size();
            windowTotal -= stream.recvWindow();
            if (!stream.acked()) {
                ackBacklog--;
            }
        }
    }

    /** Reserves up to {@code wanted} more bytes of receive window within the connection's budget. */
    long reserveWindow(long wanted) {
        long granted = Math.max(0, Math.min(wanted, config.maxConnectionWindow() - windowTotal));
        windowTotal += granted;
        return granted;
    }

    long rttNanos() {
        return pinger.rttNanos();
    }

    boolean connectionWritable() {
        return channel.isWritable();
    }

    void writeData(int id, int flags, ByteBuf data) {
        ByteBuf header = YamuxFrame.header(ctx.alloc(), YamuxFrame.TYPE_DATA, flags, id, data.readableBytes());
        ctx.write(Unpooled.wrappedBuffer(header, data), ctx.voidPromise());
    }

    ChannelFuture writeControl(int type, int flags, int id, long length) {
        return ctx.write(YamuxFrame.header(ctx.alloc(), type, flags, id, length));
    }

    void flush() {
        ctx.flush();
    }

    void keepAliveTimeout(Duration unanswered) {
        log.debug("{}: ping unanswered for {}, closing", channel, unanswered);
        ctx.close();
    }

    private ChannelFuture goAway(int code) {
        goAwaySent = true;
        ChannelFuture future = writeControl(YamuxFrame.TYPE_GO_AWAY, 0, 0, code);
        flush();
        return future;
    }

    private void protocolError(Throwable cause) {
        log.debug("{}: yamux protocol error, closing", channel, cause);
        if (!inactive && channel.isActive()) {
            goAway(YamuxFrame.GO_AWAY_PROTOCOL_ERROR).addListener(ChannelFutureListener.CLOSE);
        }
    }

    // ---- connection events ----

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof YamuxProtocolException) {
            protocolError(cause);
        } else {
            log.debug("{}: connection error, closing", channel, cause);
            ctx.close();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (channel.isWritable()) {
            for (YamuxStream stream : new ArrayList<>(streams.values())) {
                stream.resume();
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        inactive = true;
        pinger.stop();
        Throwable cause = new StreamException("connection " + channel + " closed");
        for (YamuxStream stream : new ArrayList<>(streams.values())) {
            stream.forgotten();
            stream.connectionClosed(cause);
        }
        streams.clear();
        streamCount = 0;
        closeFuture.complete(null);
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        pinger.stop();
    }
}
