package io.vine.core;

/** A security handshake failed: bad message, bad signature, timeout. */
public class HandshakeException extends ConnectionException {
    public HandshakeException(String message) {
        super(message);
    }

    public HandshakeException(String message, Throwable cause) {
        super(message, cause);
    }
}
