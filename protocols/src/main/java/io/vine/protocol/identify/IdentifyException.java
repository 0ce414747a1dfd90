package io.vine.protocol.identify;

import io.vine.core.StreamException;

/**
 * An identify exchange failed: the message was malformed, too large, signed for another peer, or did
 * not arrive in time. The stream is reset and nothing of the message reaches the peer store.
 */
public class IdentifyException extends StreamException {
    public IdentifyException(String message) {
        super(message);
    }

    public IdentifyException(String message, Throwable cause) {
        super(message, cause);
    }
}
