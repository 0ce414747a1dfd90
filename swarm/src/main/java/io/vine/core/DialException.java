package io.vine.core;

/** A dial failed: no address worked, the transport refused, the remote was not the peer expected. */
public class DialException extends ConnectionException {
    public DialException(String message) {
        super(message);
    }

    public DialException(String message, Throwable cause) {
        super(message, cause);
    }
}
