package io.vine.protocol.ping;

/** The peer did not echo a ping in time. */
public final class PingTimeoutException extends PingException {
    public PingTimeoutException(String message) {
        super(message);
    }
}
