package io.vine.core.crypto;

import io.vine.core.VineException;

/** A key encoding (protobuf envelope or the key data inside it) that is malformed or unsupported. */
public class KeyFormatException extends VineException {
    public KeyFormatException(String message) {
        super(message);
    }

    public KeyFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
