package io.vine.core;

import io.netty.channel.ChannelHandler;
import io.netty.util.concurrent.EventExecutor;
import io.vine.core.crypto.PrivKey;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.peer.PeerId;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What the swarm offers the protocols it serves. Thread-safe; every async call returns a future
 * that fails with a {@link VineException} subclass.
 */
public interface ProtocolContext {

    PeerId localPeer();

    PrivKey privateKey();

    /** The addresses the swarm listens on, each without /p2p. */
    List<Multiaddr> listenAddresses();

    /**
     * Addresses other nodes can reach this node at besides {@link #listenAddresses()}: public
     * addresses that address discovery confirmed, relay circuit addresses. Each without /p2p, in the
     * order added. Identify advertises them with the listen addresses.
     */
    List<Multiaddr> externalAddresses();

    /**
     * Adds an external address (any /p2p is dropped); publishes
     * {@link SwarmEvent.ExternalAddressAdded} and returns true when it was not known yet.
     */
    boolean addExternalAddress(Multiaddr address);

    /**
     * Removes an external address; publishes {@link SwarmEvent.ExternalAddressRemoved} and returns
     * true when it was known.
     */
    boolean removeExternalAddress(Multiaddr address);

    /** The protocol ids the swarm answers on inbound streams. */
    List<String> protocolIds();

    PeerStore peerStore();

    /** Connections currently open to {@code peer}. */
    List<Connection> connections(PeerId peer);

    /** Dials an address, reusing a connection to its /p2p peer unless {@code forceNew}. */
    CompletableFuture<Connection> dial(Multiaddr address, boolean forceNew);

    /**
     * Dials a new connection to {@code address} (ending in /p2p) whose upgrade takes the responding
     * role: it answers multistream-select, runs the security handshake as responder and the muxer as
     * the accepting side. For TCP simultaneous open arranged by hole punching (DCUtR), where both
     * peers dial and exactly one of them must lead; the connection's direction stays OUTBOUND.
     */
    CompletableFuture<Connection> dialAsResponder(Multiaddr address);

    /** Dials a peer at the addresses the peer store knows, reusing a connection unless {@code forceNew}. */
    CompletableFuture<Connection> dial(PeerId peer, boolean forceNew);

    /** Opens a stream to {@code peer} (dialing if needed); see {@link Connection#newStream}. */
    CompletableFuture<StreamChannel> newStream(PeerId peer, String... protocolIds);

    /**
     * Opens a stream to {@code peer}, adds {@code handler} to its pipeline and starts reading, all on
     * the stream's event loop before any of the remote's data is passed on.
     */
    CompletableFuture<StreamChannel> newStream(PeerId peer, ChannelHandler handler, String... protocolIds);

    /** Delivers an event to every protocol and subscriber, on the swarm's event loop. */
    void publish(SwarmEvent event);

    /** The single thread that owns the swarm's state; protocols may schedule their timers on it. */
    EventExecutor executor();
}
