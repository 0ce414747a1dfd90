package io.vine.core.multiaddr;

import io.vine.core.VineException;

/** Text or bytes that are not a valid multiaddr, or a component value its protocol does not accept. */
public class MultiaddrFormatException extends VineException {
    public MultiaddrFormatException(String message) {
        super(message);
    }

    public MultiaddrFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
