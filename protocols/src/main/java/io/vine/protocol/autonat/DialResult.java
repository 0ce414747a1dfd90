package io.vine.protocol.autonat;

import static java.util.Objects.requireNonNull;

import io.vine.core.Reachability;
import io.vine.core.multiaddr.Multiaddr;
import java.util.Optional;

/**
 * What an AutoNAT v2 server answered to one dial request.
 *
 * @param server the server asked
 * @param status whether the server served the request (the spec's {@code ResponseStatus})
 * @param address the address the server dialed; present when {@code status} is OK
 * @param reachability PUBLIC when the server dialed {@code address} and the dial-back carried this
 *     request's nonce, PRIVATE when the dial failed, UNKNOWN otherwise (a dial-back error, or no dial)
 */
public record DialResult(
        io.vine.core.peer.PeerId server, Status status, Optional<Multiaddr> address, Reachability reachability) {

    /** The spec's {@code DialResponse.ResponseStatus}. */
    public enum Status {
        /** The server dialed an address (or tried to). */
        OK,
        /** Rate limited, out of resources, or blocked ({@code E_REQUEST_REJECTED}). */
        REQUEST_REJECTED,
        /** The server would or could not dial any of the addresses ({@code E_DIAL_REFUSED}). */
        DIAL_REFUSED,
        /** Some other error on the server ({@code E_INTERNAL_ERROR}). */
        INTERNAL_ERROR
    }

    public DialResult {
        requireNonNull(server, "server");
        requireNonNull(status, "status");
        requireNonNull(address, "address");
        requireNonNull(reachability, "reachability");
    }
}
