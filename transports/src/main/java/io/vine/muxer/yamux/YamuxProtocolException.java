package io.vine.muxer.yamux;

import io.netty.handler.codec.CorruptedFrameException;

/**
 * The remote broke the yamux protocol: a malformed header, a frame larger than the window granted, a
 * stream id of the wrong parity. The connection is closed with GoAway(protocol error).
 */
final class YamuxProtocolException extends CorruptedFrameException {
    YamuxProtocolException(String message) {
        super(message);
    }
}
