package io.vine.core;

/** An error scoped to one stream: it resets that stream and nothing else. */
public class StreamException extends VineException {
    public StreamException(String message) {
        super(message);
    }

    public StreamException(String message, Throwable cause) {
        super(message, cause);
    }
}
