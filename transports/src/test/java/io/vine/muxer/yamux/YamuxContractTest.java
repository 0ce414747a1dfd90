package io.vine.muxer.yamux;

import io.vine.core.StreamChannel;
import io.vine.core.StreamMuxer;
import io.vine.muxer.MuxerContractTest;
import io.vine.muxer.internal.MuxedStreamChannel;

class YamuxContractTest extends MuxerContractTest {

    @Override
    protected StreamMuxer newMuxer() {
        return new Yamux();
    }

    @Override
    protected StreamMuxer newMuxer(int maxStreams) {
        return new Yamux(YamuxConfig.builder().maxStreams(maxStreams).build());
    }

    @Override
    protected long bufferedInboundBytes(StreamChannel stream) {
        return ((MuxedStreamChannel) stream).queuedInboundBytes();
    }

    @Override
    protected long maxBufferedBytes() {
        return YamuxConfig.DEFAULT.maxWindow();
    }
}
