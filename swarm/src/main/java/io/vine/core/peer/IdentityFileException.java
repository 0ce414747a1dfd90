package io.vine.core.peer;

import io.vine.core.VineException;

/** An identity file that cannot be read or written, or that others than its owner may read. */
public class IdentityFileException extends VineException {
    public IdentityFileException(String message) {
        super(message);
    }

    public IdentityFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
