package io.vine.core;

import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.peer.PeerId;

/**
 * Decides which connections may go on. Called on the connection's event loop; must not block.
 * The default allows everything.
 */
public interface ConnectionGater {

    ConnectionGater ALLOW_ALL = new ConnectionGater() {};

    /** Before an outbound dial to {@code address} ({@code peer} is null when the address names none). */
    default boolean allowDial(PeerId peer, Multiaddr address) {
        return true;
    }

    /** Right after a raw inbound connection is accepted. */
    default boolean allowAccept(Multiaddr remoteAddress) {
        return true;
    }

    /** Right after the security handshake, when the remote peer is known. */
    default boolean allowSecured(Direction direction, PeerId peer, Multiaddr remoteAddress) {
        return true;
    }
}
