package io.vine.muxer.yamux;

import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Measures the round-trip time with yamux pings (one when the session starts, then one per keep-alive
 * interval) and declares the connection dead when a ping stays unanswered for a whole interval. Runs on
 * the connection's event loop.
 */
final class YamuxPinger {

    private final YamuxSession session;
    private final long intervalNanos;
    private ScheduledFuture<?> task;
    private int nextOpaque;
    private int outstanding;
    private long sentAt;
    private boolean waiting;
    private volatile long rttNanos;

    YamuxPinger(YamuxSession session, Duration interval) {
        this.session = session;
        this.intervalNanos = interval.toNanos();
    }

    void start() {
        ping();
        if (intervalNanos > 0) {
            task = session.channel().eventLoop()
                    .scheduleAtFixedRate(this::tick, intervalNanos, intervalNanos, TimeUnit.NANOSECONDS);
        }
    }

    void stop() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    /** The last measured round-trip time, or 0 before the first pong. */
    long rttNanos() {
        return rttNanos;
    }

    void onPong(long opaque) {
        if (waiting && opaque == Integer.toUnsignedLong(outstanding)) {
            waiting = false;
            rttNanos = Math.max(1, System.nanoTime() - sentAt);
        }
    }

    private void tick() {
        if (waiting) {
            session.keepAliveTimeout(Duration.ofNanos(System.nanoTime() - sentAt));
            return;
        }
        ping();
    }

    private void ping() {
        outstanding = nextOpaque++;
        sentAt = System.nanoTime();
        waiting = true;
        session.writeControl(YamuxFrame.TYPE_PING, YamuxFrame.FLAG_SYN, 0, Integer.toUnsignedLong(outstanding));
        session.flush();
    }
}
