package io.vine.muxer.yamux;

import static io.vine.muxer.yamux.YamuxFrame.DEFAULT_WINDOW;
import static io.vine.muxer.yamux.YamuxFrame.FLAG_ACK;
import static io.vine.muxer.yamux.YamuxFrame.FLAG_FIN;
import static io.vine.muxer.yamux.YamuxFrame.FLAG_RST;
import static io.vine.muxer.yamux.YamuxFrame.MAX_LENGTH;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.ScheduledFuture;
import io.vine.core.Direction;
import io.vine.core.StreamException;
import io.vine.muxer.internal.MuxedStreamChannel;
import java.util.concurrent.TimeUnit;

/**
 * One yamux stream: the flow-control windows of both directions and the stream flags.
 *
 * <p>Receive side: {@code recvWindow} is the window this side grants. The remote may send {@code credit}
 * more bytes; bytes received wait in the channel until read, and bytes read ({@code unacked}) are granted
 * back with a WindowUpdate once they reach half the window, so {@code queued + credit + unacked ==
 * recvWindow} and the buffered data never exceeds the window. When half a window was read in less than
 * two round trips, the reader keeps up with the link and the window limits throughput: the window doubles,
 * up to {@link YamuxConfig#maxWindow()} and within the connection's budget.
 */
final class YamuxStream extends MuxedStreamChannel {
    /** The least round-trip time window tuning assumes (see {@link #consumed}). */
    static final long MIN_TUNING_RTT_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(2);


    private final YamuxSession session;
    private final int id;
    private final int maxFramePayload;
    private final int maxWindow;
    private final long closeTimeoutNanos;
    private ScheduledFuture<?> closeTimer;
    private int pendingFlags;
    private boolean acked;
    private boolean closeFinSent;

    private long sendWindow = DEFAULT_WINDOW;
    private long recvWindow = DEFAULT_WINDOW;
    private long credit = DEFAULT_WINDOW;
    private long unacked;
    private long epochStart = System.nanoTime();

    YamuxStream(YamuxSession session, int id, Direction direction, YamuxConfig config) {
        super(session.channel(), Integer.toUnsignedLong(id), direction);
        this.session = session;
        this.id = id;
        this.maxFramePayload = config.maxFramePayload();
        this.maxWindow = config.maxWindow();
        this.closeTimeoutNanos = config.closeTimeout().toNanos();
        if (direction == Direction.INBOUND) {
            pendingFlags = FLAG_ACK;
            acked = true;
        }
    }

    int wireId() {
        return id;
    }

    boolean acked() {
        return acked;
    }

    long recvWindow() {
        return recvWindow;
    }

    /** Grants {@code extra} bytes beyond the protocol's initial window, with the given flags (SYN, ACK). */
    void grantInitial(int flags, long extra) {
        recvWindow += extra;
        credit += extra;
        session.writeControl(YamuxFrame.TYPE_WINDOW_UPDATE, flags | takeFlags(), id, extra);
    }

    /** Tries the queued writes again (the connection became writable). */
    void resume() {
        resumeWrites();
    }

    // ---- frames from the remote ----

    void onAck() {
        if (!acked) {
            acked = true;
            session.acked(this);
        }
    }

    void onWindowUpdate(long delta) {
        sendWindow += delta;
        if (sendWindow > MAX_LENGTH) {
            throw new YamuxProtocolException(
                    "stream " + streamId() + " send window: " + sendWindow + " (expected: <= " + MAX_LENGTH + ")");
        }
        if (delta > 0) {
            resumeWrites();
        }
    }

    void onData(ByteBuf data) {
        int length = data.readableBytes();
        if (length > credit) {
            throw new YamuxProtocolException("stream " + streamId() + " DATA length: " + length
                    + " (expected: <= window " + credit + ")");
        }
        credit -= length;
        if (!isOpen()) {
            // Closed here and the remote still sends: nobody will read it, tell the sender now.
            sendRstAndForget();
        } else if (isFinReceived()) {
            sendReset();
            abort(new StreamException("stream " + streamId() + ": DATA after FIN"), voidPromise());
        } else {
            dataReceived(data.retain());
        }
    }

    void onFin() {
        if (isOpen()) {
            finReceived();
        } else {
            session.forget(this);
        }
    }

    void onReset() {
        if (isOpen()) {
            abort(new StreamException("stream " + streamId() + " reset by remote"), voidPromise());
        } else {
            session.forget(this);
        }
    }

    /** The connection is gone: fail everything pending. */
    void connectionClosed(Throwable cause) {
        abort(new StreamException("stream " + streamId() + ": connection closed", cause), voidPromise());
    }

    // ---- MuxedStreamChannel ----

    @Override
    protected int sendCapacity() {
        if (!session.connectionWritable()) {
            return 0;
        }
        return (int) Math.min(sendWindow, maxFramePayload);
    }

    @Override
    protected void sendData(ByteBuf data) {
        sendWindow -= data.readableBytes();
        session.writeData(id, takeFlags(), data);
    }

    @Override
    protected void sendFin() {
        session.writeControl(YamuxFrame.TYPE_WINDOW_UPDATE, takeFlags() | FLAG_FIN, id, 0);
    }

    @Override
    protected void sendReset() {
        pendingFlags = 0;
        session.writeControl(YamuxFrame.TYPE_WINDOW_UPDATE, FLAG_RST, id, 0);
    }

    @Override
    protected void flushConnection() {
        session.flush();
    }

    @Override
    protected void consumed(int bytes) {
        unacked += bytes;
        if (unacked < recvWindow / 2 || isFinReceived()) {
            return;
        }
        long now = System.nanoTime();
        // A measured round trip on loopback or a LAN can be tens of microseconds, far below what the
        // event loops on both ends add while a transfer runs; below the floor it would keep windows
        // too small to fill the link.
        long grow = 0;
        if (readFastEnoughToGrow(now - epochStart, session.rttNanos()) && recvWindow < maxWindow) {
            grow = session.reserveWindow(Math.min(recvWindow * 2, maxWindow) - recvWindow);
            recvWindow += grow;
        }
        epochStart = now;
        long delta = unacked + grow;
        unacked = 0;
        credit += delta;
        session.writeControl(YamuxFrame.TYPE_WINDOW_UPDATE, takeFlags(), id, delta);
        session.flush();
    }

    /**
     * Whether half a window read in {@code elapsedNanos} means the window limits the transfer: it was
     * read within two round trips. Until a round trip is measured, windows stay as they are.
     */
    static boolean readFastEnoughToGrow(long elapsedNanos, long measuredRttNanos) {
        return measuredRttNanos > 0 && elapsedNanos < 2 * Math.max(measuredRttNanos, MIN_TUNING_RTT_NANOS);
    }

    @Override
    protected void closed(long unreadBytes) {
        if (isAborted()) {
            session.forget(this);
        } else if (unreadBytes > 0) {
            // Closed with data not read: like TCP, reset so that the sender learns it was lost.
            sendRstAndForget();
        } else {
            if (!isFinSent() && !closeFinSent) {
                closeFinSent = true;
                sendFin();
                session.flush();
            }
            if (isFinReceived()) {
                session.forget(this);
            } else {
                closeTimer = eventLoop().schedule(this::sendRstAndForget, closeTimeoutNanos, TimeUnit.NANOSECONDS);
            }
        }
    }

    /** The session no longer knows this stream. */
    void forgotten() {
        if (closeTimer != null) {
            closeTimer.cancel(false);
            closeTimer = null;
        }
    }

    private void sendRstAndForget() {
        sendReset();
        session.flush();
        session.forget(this);
    }

    private int takeFlags() {
        int flags = pendingFlags;
        pendingFlags = 0;
        return flags;
    }
}
