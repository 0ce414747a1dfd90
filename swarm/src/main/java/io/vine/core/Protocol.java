package io.vine.core;

import java.util.List;

/**
 * A protocol served by the swarm: identify, ping, perf, the overlay's own. The connection callbacks
 * and {@link #onEvent} run on the swarm's event loop and must not block;
 * {@link #acceptInboundStream} runs on the stream's event loop.
 */
public interface Protocol {

    /** The protocol ids this protocol answers on inbound streams; may be empty for a dialer-only protocol. */
    List<String> protocolIds();

    /** Called once when the swarm starts (or when the protocol is added to a running swarm). */
    default void start(ProtocolContext context) {}

    default void onConnectionOpened(Connection connection) {}

    default void onConnectionClosed(Connection connection) {}

    /** Every swarm event, after the connection callbacks. */
    default void onEvent(SwarmEvent event) {}

    /**
     * A remote opened a stream and agreed on {@code protocolId}, one of {@link #protocolIds()}.
     * Install the protocol's handlers on {@code stream.pipeline()} here, before returning: bytes the
     * remote sent after the negotiation are passed on as soon as this returns.
     */
    void acceptInboundStream(StreamChannel stream, String protocolId);

    /** Called when the swarm closes. */
    default void stop() {}
}
