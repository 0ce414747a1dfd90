package io.vine.muxer.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.AbstractChannel;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.channel.socket.ChannelOutputShutdownEvent;
import io.netty.channel.socket.ChannelOutputShutdownException;
import io.netty.util.internal.StringUtil;
import io.vine.core.Direction;
import io.vine.core.StreamChannel;
import io.vine.core.StreamException;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;

/**
 * A muxed stream as a Netty child channel of the connection channel, shared by the muxers.
 *
 * <p>Inbound: the muxer hands received payloads to {@link #dataReceived}; they wait in a queue that the
 * muxer's flow control bounds, and reach the pipeline only when the application reads (auto-read or
 * {@link #read()}); {@link #consumed} then tells the muxer how many bytes were read, so that it can
 * grant credit back. A remote FIN ({@link #finReceived}) fires {@code ChannelInputShutdownEvent} and
 * {@code ChannelInputShutdownReadComplete} once the queued data has been read.
 *
 * <p>Outbound: writes wait in the channel's outbound buffer (its water marks drive writability) and
 * leave in pieces of at most {@link #sendCapacity()} bytes; when that is 0 (no credit, or the connection
 * is not writable) they stay queued until the muxer calls {@link #resumeWrites()}. {@link
 * #shutdownOutput()} sends FIN after the data already written. Everything runs on the parent's event
 * loop.
 */
public abstract class MuxedStreamChannel extends AbstractChannel implements StreamChannel {

    private static final ChannelMetadata METADATA = new ChannelMetadata(false, 16);
    private static final int MAX_MESSAGES_PER_READ = 16;

    private final long streamId;
    private final Direction direction;
    private final MuxedStreamConfig config = new MuxedStreamConfig(this);
    private final ArrayDeque<ByteBuf> inbound = new ArrayDeque<>();
    private long inboundBytes;
    private boolean open = true;
    private boolean aborted;
    private boolean readPending;
    private boolean inReadLoop;
    private boolean finReceived;
    private boolean inputShutdownFired;
    private boolean inputDiscarded;
    private boolean outputShutdown;
    private boolean finSent;
    private ChannelPromise finPromise;

    protected MuxedStreamChannel(Channel parent, long streamId, Direction direction) {
        super(parent);
        this.streamId = streamId;
        this.direction = direction;
        config.setAllocator(parent.config().getAllocator());
    }

    // ---- implemented by the muxer ----

    /** Bytes that may be sent in the next data frame now; 0 to wait for {@link #resumeWrites()}. */
    protected abstract int sendCapacity();

    /** Sends one data frame; takes ownership of {@code data}. */
    protected abstract void sendData(ByteBuf data);

    /** Sends the half-close (FIN) of this side. */
    protected abstract void sendFin();

    /** Sends a reset (RST) of the stream. */
    protected abstract void sendReset();

    /** Flushes the frames written to the connection. */
    protected abstract void flushConnection();

    /** The application has read {@code bytes} more bytes of inbound data. */
    protected abstract void consumed(int bytes);

    /**
     * The channel has closed. {@link #isAborted()} tells a reset or a connection loss apart from a close
     * by the application; {@code unreadBytes} had been received and not read (now released).
     */
    protected abstract void closed(long unreadBytes);

    // ---- called by the muxer, on the event loop ----

    /** Queues received data for the application; takes ownership of {@code data}. */
    protected final void dataReceived(ByteBuf data) {
        int bytes = data.readableBytes();
        if (!open || inputDiscarded) {
            data.release();
            if (open) {
                consumed(bytes);
            }
            return;
        }
        if (bytes == 0) {
            data.release();
            return;
        }
        inbound.add(data);
        inboundBytes += bytes;
        if (readPending) {
            readInbound();
        }
    }

    /** The remote has half-closed its side (FIN). */
    protected final void finReceived() {
        finReceived = true;
        maybeFireInputShutdown();
    }

    /**
     * Closes the stream because of a reset or a connection loss: pending writes and a pending FIN fail
     * with {@code cause}.
     */
    protected final void abort(Throwable cause, ChannelPromise promise) {
        if (!open) {
            promise.trySuccess();
            return;
        }
        aborted = true;
        if (finPromise != null && !finSent) {
            finPromise.tryFailure(cause);
        }
        ChannelOutboundBuffer buffer = unsafe().outboundBuffer();
        if (buffer != null) {
            buffer.addFlush();
        }
        ((StreamUnsafe) unsafe()).closeWithCause(cause, promise);
    }

    /** Tries again to send queued writes (credit arrived, or the connection became writable). */
    protected final void resumeWrites() {
        if (open) {
            ((StreamUnsafe) unsafe()).resume();
        }
    }

    /** Received bytes waiting for the application to read them. */
    public final long queuedInboundBytes() {
        return inboundBytes;
    }

    /** Whether the stream was reset or lost its connection, rather than closed by the application. */
    protected final boolean isAborted() {
        return aborted;
    }

    protected final boolean isFinSent() {
        return finSent;
    }

    protected final boolean isFinReceived() {
        return finReceived;
    }

    // ---- StreamChannel ----

    @Override
    public final long streamId() {
        return streamId;
    }

    @Override
    public final Direction direction() {
        return direction;
    }

    @Override
    public final ChannelFuture reset() {
        ChannelPromise promise = newPromise();
        runOnLoop(() -> {
            if (open) {
                sendReset();
                flushConnection();
            }
            abort(new StreamException("stream " + streamId + " reset locally"), promise);
        });
        return promise;
    }

    @Override
    public final boolean isInputShutdown() {
        return inputShutdownFired || inputDiscarded || !open;
    }

    @Override
    public final ChannelFuture shutdownInput() {
        return shutdownInput(newPromise());
    }

    /** Discards what was received and will be received; the remote is not told (yamux cannot). */
    @Override
    public final ChannelFuture shutdownInput(ChannelPromise promise) {
        runOnLoop(() -> {
            if (!open) {
                promise.tryFailure(new ClosedChannelException());
                return;
            }
            inputDiscarded = true;
            int bytes = (int) inboundBytes;
            releaseInbound();
            if (bytes > 0) {
                consumed(bytes);
            }
            promise.trySuccess();
        });
        return promise;
    }

    @Override
    public final boolean isOutputShutdown() {
        return outputShutdown || !open;
    }

    @Override
    public final ChannelFuture shutdownOutput() {
        return shutdownOutput(newPromise());
    }

    /** Sends FIN once the data written before has been sent; later writes fail. */
    @Override
    public final ChannelFuture shutdownOutput(ChannelPromise promise) {
        runOnLoop(() -> shutdownOutput0(promise));
        return promise;
    }

    @Override
    public final boolean isShutdown() {
        return isInputShutdown() && isOutputShutdown();
    }

    @Override
    public final ChannelFuture shutdown() {
        return shutdown(newPromise());
    }

    @Override
    public final ChannelFuture shutdown(ChannelPromise promise) {
        shutdownInput();
        return shutdownOutput(promise);
    }

    private void shutdownOutput0(ChannelPromise promise) {
        if (!open) {
            promise.tryFailure(new ClosedChannelException());
            return;
        }
        if (outputShutdown) {
            finPromise.addListener(f -> {
                if (f.isSuccess()) {
                    promise.trySuccess();
                } else {
                    promise.tryFailure(f.cause());
                }
            });
            return;
        }
        outputShutdown = true;
        finPromise = promise;
        unsafe().flush();
        maybeSendFin();
    }

    private void maybeSendFin() {
        ChannelOutboundBuffer buffer = unsafe().outboundBuffer();
        if (!outputShutdown || finSent || !open || (buffer != null && !buffer.isEmpty())) {
            return;
        }
        finSent = true;
        sendFin();
        flushConnection();
        finPromise.trySuccess();
        pipeline().fireUserEventTriggered(ChannelOutputShutdownEvent.INSTANCE);
        if (inputShutdownFired && open) {
            close();
        }
    }

    // ---- inbound delivery ----

    private void readInbound() {
        if (inReadLoop) {
            return;
        }
        inReadLoop = true;
        try {
            while (readPending && open && !inbound.isEmpty()) {
                readPending = false;
                int bytes = 0;
                for (int i = 0; i < MAX_MESSAGES_PER_READ && open; i++) {
                    ByteBuf data = inbound.poll();
                    if (data == null) {
                        break;
                    }
                    int size = data.readableBytes();
                    inboundBytes -= size;
                    bytes += size;
                    pipeline().fireChannelRead(data);
                }
                if (open && bytes > 0) {
                    consumed(bytes);
                }
                pipeline().fireChannelReadComplete();
            }
        } finally {
            inReadLoop = false;
        }
        maybeFireInputShutdown();
    }

    private void maybeFireInputShutdown() {
        if (!finReceived || inputShutdownFired || !inbound.isEmpty() || !open || inReadLoop) {
            return;
        }
        inputShutdownFired = true;
        if (!config.isAllowHalfClosure()) {
            close();
            return;
        }
        pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        pipeline().fireUserEventTriggered(ChannelInputShutdownReadComplete.INSTANCE);
        if (finSent && open) {
            close();
        }
    }

    /** Auto-read was turned off: a read requested by auto-read no longer stands. */
    final void clearReadPending() {
        if (isRegistered() && !eventLoop().inEventLoop()) {
            eventLoop().execute(this::clearReadPending);
        } else {
            readPending = false;
        }
    }

    private void releaseInbound() {
        ByteBuf data;
        while ((data = inbound.poll()) != null) {
            data.release();
        }
        inboundBytes = 0;
    }

    private void runOnLoop(Runnable task) {
        EventLoop loop = eventLoop();
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    // ---- AbstractChannel ----

    @Override
    public MuxedStreamConfig config() {
        return config;
    }

    @Override
    public ChannelMetadata metadata() {
        return METADATA;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public boolean isActive() {
        return open;
    }

    @Override
    protected AbstractUnsafe newUnsafe() {
        return new StreamUnsafe();
    }

    @Override
    protected boolean isCompatible(EventLoop loop) {
        return true;
    }

    @Override
    protected SocketAddress localAddress0() {
        return parent().localAddress();
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return parent().remoteAddress();
    }

    @Override
    protected void doBind(SocketAddress localAddress) {
        throw new UnsupportedOperationException("bind");
    }

    @Override
    protected void doDisconnect() {
        throw new UnsupportedOperationException("disconnect");
    }

    @Override
    protected void doClose() {
        if (!open) {
            return;
        }
        open = false;
        long unread = inboundBytes;
        releaseInbound();
        if (finPromise != null && !finSent) {
            finPromise.tryFailure(new ClosedChannelException());
        }
        closed(unread);
    }

    @Override
    protected void doBeginRead() {
        readPending = true;
        readInbound();
    }

    @Override
    protected Object filterOutboundMessage(Object msg) throws Exception {
        if (!(msg instanceof ByteBuf)) {
            throw new UnsupportedOperationException(
                    "unsupported message type: " + StringUtil.simpleClassName(msg) + " (expected: ByteBuf)");
        }
        if (outputShutdown) {
            throw new ChannelOutputShutdownException("stream " + streamId + ": output shut down");
        }
        return msg;
    }

    @Override
    protected void doWrite(ChannelOutboundBuffer in) {
        // Flushing the connection can make it writable again while this method runs, and the muxer's
        // resumeWrites() is then ignored as re-entrant: so try again after each flush until no progress.
        while (writeFrames(in)) {
            flushConnection();
        }
        if (in.isEmpty()) {
            maybeSendFin();
        }
    }

    private boolean writeFrames(ChannelOutboundBuffer in) {
        boolean wrote = false;
        for (;;) {
            ByteBuf buf = (ByteBuf) in.current();
            if (buf == null) {
                return wrote;
            }
            int readable = buf.readableBytes();
            if (readable == 0) {
                in.remove();
                continue;
            }
            int n = Math.min(readable, sendCapacity());
            if (n <= 0) {
                return wrote;
            }
            sendData(buf.retainedSlice(buf.readerIndex(), n));
            in.removeBytes(n);
            wrote = true;
        }
    }

    private final class StreamUnsafe extends AbstractUnsafe {
        @Override
        public void connect(SocketAddress remote, SocketAddress local, ChannelPromise promise) {
            promise.setFailure(new UnsupportedOperationException("connect"));
        }

        void resume() {
            flush0();
        }

        void closeWithCause(Throwable cause, ChannelPromise promise) {
            close(promise, cause, new ClosedChannelException());
        }
    }
}
