package io.vine.core;

import io.netty.channel.Channel;
import java.util.function.Consumer;

/** A stream multiplexer (yamux, mplex), negotiated on a secured connection. */
public interface StreamMuxer {

    /** The multistream-select protocol id, e.g. "/yamux/1.0.0". */
    String protocolId();

    /**
     * Adds the muxer at the end of the secured {@code channel}'s pipeline. Called on the channel's
     * event loop; bytes already read past negotiation reach the muxer right after this returns.
     *
     * @param initiator whether this side dialed the connection (yamux: odd stream ids)
     * @param inbound called on the event loop with every stream the remote opens, once the stream is
     *     registered and before any of its data is read; the caller installs its handlers there
     */
    MuxedSession start(Channel channel, boolean initiator, Consumer<StreamChannel> inbound);
}
