package io.vine.core;

/**
 * Root of every exception vine throws. Unchecked: expected outcomes (a peer that does not speak a
 * protocol, a timeout) come back as failed futures carrying a subclass of this.
 */
public class VineException extends RuntimeException {
    public VineException(String message) {
        super(message);
    }

    public VineException(String message, Throwable cause) {
        super(message, cause);
    }
}
