package io.vine.core;

/** A configured limit (connections, streams, pending dials) refused the operation. */
public class LimitExceededException extends VineException {
    public LimitExceededException(String message) {
        super(message);
    }
}
