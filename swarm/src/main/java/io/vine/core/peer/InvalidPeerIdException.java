package io.vine.core.peer;

import io.vine.core.VineException;

/** Bytes or text that do not hold a valid peer id. */
public class InvalidPeerIdException extends VineException {
    public InvalidPeerIdException(String message) {
        super(message);
    }

    public InvalidPeerIdException(String message, Throwable cause) {
        super(message, cause);
    }
}
