package io.vine.core;

import io.vine.core.peer.PeerId;

/** The remote proved an identity other than the one the dialer expected. */
public class PeerIdMismatchException extends HandshakeException {
    private final PeerId expected;
    private final PeerId actual;

    public PeerIdMismatchException(PeerId expected, PeerId actual) {
        super("remote peer is " + actual + " (expected: " + expected + ")");
        this.expected = expected;
        this.actual = actual;
    }

    public PeerId expected() {
        return expected;
    }

    public PeerId actual() {
        return actual;
    }
}
