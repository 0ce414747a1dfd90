package io.vine.tun;

import io.vine.core.VineException;

/** A TUN device could not be opened, configured, read or written. The message says what and why. */
public class TunException extends VineException {
    public TunException(String message) {
        super(message);
    }

    public TunException(String message, Throwable cause) {
        super(message, cause);
    }
}
