package io.vine.protocol.ping;

import io.vine.core.StreamException;

/** A ping failed: the echo was wrong, late, or the stream ended before it came back. */
public class PingException extends StreamException {
    public PingException(String message) {
        super(message);
    }

    public PingException(String message, Throwable cause) {
        super(message, cause);
    }
}
