package io.vine.muxer.yamux;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Limits and tuning of a {@link Yamux} session. Immutable; build one with {@link #builder()}.
 *
 * <p>Memory per connection is bounded by {@code maxStreams} streams, each buffering at most its receive
 * window of unread data; windows start at {@code initialWindow}, grow (doubling, when the reader keeps
 * up with the link) up to {@code maxWindow}, and all the windows of one connection together grow no
 * further than {@code maxConnectionWindow}.
 */
public final class YamuxConfig {

    /** The defaults: 1024 streams, windows of 256 KiB growing to 16 MiB, 64 KiB frames, pings every 30 s. */
    public static final YamuxConfig DEFAULT = builder().build();

    private final int maxStreams;
    private final int initialWindow;
    private final int maxWindow;
    private final long maxConnectionWindow;
    private final int maxFramePayload;
    private final int maxAckBacklog;
    private final Duration keepAliveInterval;
    private final Duration closeTimeout;

    private YamuxConfig(Builder b) {
        this.maxStreams = b.maxStreams;
        this.initialWindow = b.initialWindow;
        this.maxWindow = b.maxWindow;
        this.maxConnectionWindow = b.maxConnectionWindow;
        this.maxFramePayload = b.maxFramePayload;
        this.maxAckBacklog = b.maxAckBacklog;
        this.keepAliveInterval = b.keepAliveInterval;
        this.closeTimeout = b.closeTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Streams open at once on one connection, both directions; an inbound stream over it is reset. */
    public int maxStreams() {
        return maxStreams;
    }

    /** The receive window of a new stream, in bytes (at least the protocol's 256 KiB). */
    public int initialWindow() {
        return initialWindow;
    }

    /** The largest receive window one stream may grow to; also the largest Data frame accepted. */
    public int maxWindow() {
        return maxWindow;
    }

    /** The largest sum of the receive windows of one connection's streams before windows stop growing. */
    public long maxConnectionWindow() {
        return maxConnectionWindow;
    }

    /** The largest payload of a Data frame this side sends. */
    public int maxFramePayload() {
        return maxFramePayload;
    }

    /** Outbound streams the remote has not acknowledged yet, beyond which opening a stream fails. */
    public int maxAckBacklog() {
        return maxAckBacklog;
    }

    /** The interval of keep-alive pings; {@link Duration#ZERO} disables them. */
    public Duration keepAliveInterval() {
        return keepAliveInterval;
    }

    /**
     * How long a stream closed by the application waits for the remote's FIN before it is reset and
     * forgotten; until then it counts against {@link #maxStreams()}.
     */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    /** A builder that starts from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxStreams = maxStreams;
        b.initialWindow = initialWindow;
        b.maxWindow = maxWindow;
        b.maxConnectionWindow = maxConnectionWindow;
        b.maxFramePayload = maxFramePayload;
        b.maxAckBacklog = maxAckBacklog;
        b.keepAliveInterval = keepAliveInterval;
        b.closeTimeout = closeTimeout;
        return b;
    }

    @Override
    public String toString() {
        return "YamuxConfig(maxStreams=" + maxStreams + ", initialWindow=" + initialWindow + ", maxWindow="
                + maxWindow + ", maxConnectionWindow=" + maxConnectionWindow + ", maxFramePayload="
                + maxFramePayload + ", maxAckBacklog=" + maxAckBacklog + ", keepAliveInterval="
                + keepAliveInterval + ", closeTimeout=" + closeTimeout + ")";
    }

    /** Builds a {@link YamuxConfig}. */
    public static final class Builder {
        private int maxStreams = 1024;
        private int initialWindow = YamuxFrame.DEFAULT_WINDOW;
        private int maxWindow = 16 * 1024 * 1024;
        private long maxConnectionWindow = 256L * 1024 * 1024;
        /**
         * 64 KiB of payload per frame: an application's 64 KiB write leaves as one frame. js-libp2p's
         * yamux sends frames of this order (64 KiB with the header); receivers bound frames by the
         * stream's window (at least 256 KiB), not by a frame size. Against 16 KiB frames, a quarter of
         * the per-frame work at both ends; 1 GiB each way from a fresh perf client on loopback, with
         * TlsSecurity's 64 KiB wraps: tls 13.5 -> 15.1 Gbit/s, noise 14.4 -> 15.2 (means of 4 runs).
         */
        private int maxFramePayload = 64 * 1024;
        private int maxAckBacklog = 256;
        private Duration keepAliveInterval = Duration.ofSeconds(30);
        private Duration closeTimeout = Duration.ofSeconds(60);

        private Builder() {}

        public Builder maxStreams(int maxStreams) {
            this.maxStreams = checkPositive(maxStreams, "maxStreams");
            return this;
        }

        public Builder initialWindow(int initialWindow) {
            if (initialWindow < YamuxFrame.DEFAULT_WINDOW) {
                throw new IllegalArgumentException(
                        "initialWindow: " + initialWindow + " (expected: >= " + YamuxFrame.DEFAULT_WINDOW + ")");
            }
            this.initialWindow = initialWindow;
            return this;
        }

        public Builder maxWindow(int maxWindow) {
            this.maxWindow = checkPositive(maxWindow, "maxWindow");
            return this;
        }

        public Builder maxConnectionWindow(long maxConnectionWindow) {
            if (maxConnectionWindow <= 0) {
                throw new IllegalArgumentException(
                        "maxConnectionWindow: " + maxConnectionWindow + " (expected: > 0)");
            }
            this.maxConnectionWindow = maxConnectionWindow;
            return this;
        }

        public Builder maxFramePayload(int maxFramePayload) {
            this.maxFramePayload = checkPositive(maxFramePayload, "maxFramePayload");
            return this;
        }

        public Builder maxAckBacklog(int maxAckBacklog) {
            this.maxAckBacklog = checkPositive(maxAckBacklog, "maxAckBacklog");
            return this;
        }

        public Builder keepAliveInterval(Duration keepAliveInterval) {
            requireNonNull(keepAliveInterval, "keepAliveInterval");
            if (keepAliveInterval.isNegative()) {
                throw new IllegalArgumentException(
                        "keepAliveInterval: " + keepAliveInterval + " (expected: >= 0)");
            }
            this.keepAliveInterval = keepAliveInterval;
            return this;
        }

        public Builder closeTimeout(Duration closeTimeout) {
            requireNonNull(closeTimeout, "closeTimeout");
            if (closeTimeout.isNegative() || closeTimeout.isZero()) {
                throw new IllegalArgumentException("closeTimeout: " + closeTimeout + " (expected: > 0)");
            }
            this.closeTimeout = closeTimeout;
            return this;
        }

        /** Builds the configuration; fails when {@code maxWindow < initialWindow}. */
        public YamuxConfig build() {
            if (maxWindow < initialWindow) {
                throw new IllegalArgumentException(
                        "maxWindow: " + maxWindow + " (expected: >= initialWindow " + initialWindow + ")");
            }
            return new YamuxConfig(this);
        }

        private static int checkPositive(int value, String name) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
            }
            return value;
        }
    }
}
