package io.vine.transport.tcp;

import java.time.Duration;

/**
 * Settings of a {@link TcpTransport}. Immutable; start from {@link #DEFAULT} and change with the
 * {@code with...} methods.
 *
 * @param connectTimeout how long a dial waits for the TCP connection (not the libp2p handshake)
 * @param writeBufferLow a channel that was unwritable becomes writable again below this many queued bytes
 * @param writeBufferHigh a channel becomes unwritable above this many queued bytes
 * @param reusePort set {@code SO_REUSEPORT} on listening and dialing sockets, so that a later dial may
 *     bind the port a listener uses (TCP hole punching); Linux and other platforms that support it
 */
public record TcpConfig(Duration connectTimeout, int writeBufferLow, int writeBufferHigh, boolean reusePort) {

    /**
     * 10 s connect timeout, 512 KiB / 2 MiB write buffer water marks, no {@code SO_REUSEPORT}. The
     * marks are limits, not allocations: the security layer writes batches of up to 256 KiB (16 yamux
     * frames), and a 64 KiB mark would stop the muxer after every batch until the socket drained.
     */
    public static final TcpConfig DEFAULT = new TcpConfig(Duration.ofSeconds(10), 512 * 1024, 2 * 1024 * 1024, false);

    public TcpConfig {
        if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout: " + connectTimeout + " (expected: > 0)");
        }
        if (connectTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("connectTimeout: " + connectTimeout + " (expected: <= "
                    + Integer.MAX_VALUE + " ms)");
        }
        if (writeBufferLow <= 0) {
            throw new IllegalArgumentException("writeBufferLow: " + writeBufferLow + " (expected: > 0)");
        }
        if (writeBufferHigh < writeBufferLow) {
            throw new IllegalArgumentException("writeBufferHigh: " + writeBufferHigh
                    + " (expected: >= writeBufferLow " + writeBufferLow + ")");
        }
    }

    public TcpConfig withConnectTimeout(Duration value) {
        return new TcpConfig(value, writeBufferLow, writeBufferHigh, reusePort);
    }

    public TcpConfig withWriteBufferWaterMark(int low, int high) {
        return new TcpConfig(connectTimeout, low, high, reusePort);
    }

    public TcpConfig withReusePort(boolean value) {
        return new TcpConfig(connectTimeout, writeBufferLow, writeBufferHigh, value);
    }
}
