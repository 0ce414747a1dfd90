package io.vine.security.noise;

import io.netty.handler.codec.DecoderException;

/**
 * A Noise transport message failed authentication: it was altered, truncated, replayed or not
 * produced by the peer's cipher. The connection is closed when this is raised.
 */
final class NoiseDecryptionException extends DecoderException {
    private static final long serialVersionUID = 1L;

    NoiseDecryptionException(String message, Throwable cause) {
        super(message, cause);
    }
}
