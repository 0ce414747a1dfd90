package io.vine.protocol.ping;

/** The peer answered a ping with bytes other than the 32 it was sent. */
public final class PingMismatchException extends PingException {
    public PingMismatchException(String message) {
        super(message);
    }
}
