package io.vine.protocol.autonat;

import io.vine.core.StreamException;

/**
 * An AutoNAT exchange failed without a result: the peer sent a malformed or unexpected message, a
 * status this node does not understand, asked for more dial data than this node pays, did not prove
 * the dial-back with the nonce, or did not answer in time. The stream is reset.
 */
public class AutoNatException extends StreamException {
    public AutoNatException(String message) {
        super(message);
    }

    public AutoNatException(String message, Throwable cause) {
        super(message, cause);
    }
}
