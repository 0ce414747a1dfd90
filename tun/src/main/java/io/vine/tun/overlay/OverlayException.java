package io.vine.tun.overlay;

import io.vine.core.VineException;

/** A failure of the overlay runtime: a lifecycle call in the wrong state, no session to a peer, a bad self-entry. */
public final class OverlayException extends VineException {
    public OverlayException(String message) {
        super(message);
    }

    public OverlayException(String message, Throwable cause) {
        super(message, cause);
    }
}
