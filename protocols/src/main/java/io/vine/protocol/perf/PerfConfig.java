package io.vine.protocol.perf;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Bounds of the perf protocol.
 *
 * @param maxDownloadBytes the most bytes the server sends back on one stream; a request for more is
 *     refused by resetting the stream (default {@value #DEFAULT_MAX_DOWNLOAD_BYTES}, 64 GiB)
 * @param maxInboundStreams perf streams the server serves at once, all peers together; more are reset
 * @param idleTimeout how long a stream may go without moving a byte either way before it is reset, on
 *     both sides (a client that stops reading, a server that stops answering)
 */
public record PerfConfig(long maxDownloadBytes, int maxInboundStreams, Duration idleTimeout) {
    public static final long DEFAULT_MAX_DOWNLOAD_BYTES = 64L << 30;
    public static final int DEFAULT_MAX_INBOUND_STREAMS = 64;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    public static final PerfConfig DEFAULT =
            new PerfConfig(DEFAULT_MAX_DOWNLOAD_BYTES, DEFAULT_MAX_INBOUND_STREAMS, DEFAULT_IDLE_TIMEOUT);

    public PerfConfig {
        if (maxDownloadBytes < 0) {
            throw new IllegalArgumentException("maxDownloadBytes: " + maxDownloadBytes + " (expected: >= 0)");
        }
        if (maxInboundStreams < 1) {
            throw new IllegalArgumentException("maxInboundStreams: " + maxInboundStreams + " (expected: > 0)");
        }
        requireNonNull(idleTimeout, "idleTimeout");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout: " + idleTimeout + " (expected: > 0)");
        }
    }

    public PerfConfig withMaxDownloadBytes(long value) {
        return new PerfConfig(value, maxInboundStreams, idleTimeout);
    }

    public PerfConfig withMaxInboundStreams(int value) {
        return new PerfConfig(maxDownloadBytes, value, idleTimeout);
    }

    public PerfConfig withIdleTimeout(Duration value) {
        return new PerfConfig(maxDownloadBytes, maxInboundStreams, value);
    }
}
