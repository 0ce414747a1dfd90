package io.vine.core;

import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.peer.PeerId;
import java.util.Optional;

/**
 * Something that happened in the swarm. Protocols publish their own events by implementing this
 * interface (identify: a peer was identified). Delivered on the swarm's event loop.
 */
public interface SwarmEvent {

    /** A connection finished its upgrade and is ready for streams. */
    record ConnectionOpened(Connection connection) implements SwarmEvent {}

    /** A connection closed; {@code cause} is empty for an orderly close. */
    record ConnectionClosed(Connection connection, Optional<Throwable> cause) implements SwarmEvent {}

    /** The first connection to a peer opened. */
    record PeerConnected(PeerId peer) implements SwarmEvent {}

    /** The last connection to a peer closed. */
    record PeerDisconnected(PeerId peer) implements SwarmEvent {}

    record ListenStarted(Multiaddr address) implements SwarmEvent {}

    record ListenStopped(Multiaddr address) implements SwarmEvent {}

    /**
     * An address others can reach this node at, besides its listen addresses (a confirmed public
     * address, a relay circuit), was added; see {@link ProtocolContext#addExternalAddress}.
     */
    record ExternalAddressAdded(Multiaddr address) implements SwarmEvent {}

    /** An external address was removed; see {@link ProtocolContext#removeExternalAddress}. */
    record ExternalAddressRemoved(Multiaddr address) implements SwarmEvent {}

    /** An outbound dial failed; {@code peer} is empty when the address named none. */
    record DialFailed(Optional<PeerId> peer, Multiaddr address, Throwable cause) implements SwarmEvent {}

    /** An inbound connection failed before it was upgraded (handshake, gater, limits). */
    record InboundFailed(Multiaddr remoteAddress, Throwable cause) implements SwarmEvent {}
}
