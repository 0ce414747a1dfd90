package io.vine.protocol.dcutr;

import io.netty.handler.codec.CorruptedFrameException;

/** A DCUtR message that is too long, not protobuf, or without a known type; the stream is reset. */
public final class MalformedHolePunchException extends CorruptedFrameException {
    public MalformedHolePunchException(String message) {
        super(message);
    }

    public MalformedHolePunchException(String message, Throwable cause) {
        super(message, cause);
    }
}
