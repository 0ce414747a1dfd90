package io.vine.tun.control;

import io.netty.handler.codec.DecoderException;

/** A control frame that is not a valid {@code ControlMessage}: unparsable, empty, or with a bad field. */
public final class ControlDecoderException extends DecoderException {
    public ControlDecoderException(String message) {
        super(message);
    }

    public ControlDecoderException(String message, Throwable cause) {
        super(message, cause);
    }
}
