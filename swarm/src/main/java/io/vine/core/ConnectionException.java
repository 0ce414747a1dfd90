package io.vine.core;

/** An error scoped to one connection: it closes that connection and nothing else. */
public class ConnectionException extends VineException {
    public ConnectionException(String message) {
        super(message);
    }

    public ConnectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
