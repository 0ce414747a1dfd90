package io.vine.tun.overlay;

import static java.util.Objects.requireNonNull;

import io.vine.core.peer.PeerId;
import io.vine.tun.route.Route;
import io.vine.tun.route.RouteUpdate;
import io.vine.tun.session.PathKind;
import java.util.Optional;

/**
 * What a {@link VineNode} reports to its event callback: lifecycle logs, bootstrap diagnostics, peers
 * admitted or refused (with the reason), and topology changes (routes, session paths). Delivered on
 * the node's event loop or the calling thread; a callback must not block.
 */
public sealed interface VineEvent {

    /** The node moved to {@code state}. */
    record Lifecycle(VineNode.State state, String message) implements VineEvent {
        public Lifecycle {
            requireNonNull(state, "state");
            requireNonNull(message, "message");
        }
    }

    /** A bootstrap step: dialing {@code target} succeeded or failed ({@code detail} says why). */
    record Bootstrap(String target, boolean success, String detail) implements VineEvent {
        public Bootstrap {
            requireNonNull(target, "target");
            requireNonNull(detail, "detail");
        }
    }

    /** A path to {@code peer} failed or could not be made (stream refused, keepalive timeout, relay dial failed). */
    record PathFailed(PeerId peer, String detail) implements VineEvent {
        public PathFailed {
            requireNonNull(peer, "peer");
            requireNonNull(detail, "detail");
        }
    }

    /** {@code peer}'s hello was accepted on a path of kind {@code kind}. */
    record PeerAdmitted(PeerId peer, PathKind kind) implements VineEvent {}

    /** {@code peer} was refused and its connection closed; {@code reason} says why. */
    record PeerRefused(PeerId peer, String reason) implements VineEvent {
        public PeerRefused {
            requireNonNull(peer, "peer");
            requireNonNull(reason, "reason");
        }
    }

    /** A route announce or withdraw from {@code from} had {@code result} on {@code route}. */
    record RouteChanged(PeerId from, Route route, RouteUpdate result) implements VineEvent {}

    /**
     * {@code peer}'s session moved from one preferred path kind to another (empty: no ready path):
     * fallback (direct to relay), promotion (relay to direct), loss or recovery.
     */
    record PathChanged(PeerId peer, Optional<PathKind> from, Optional<PathKind> to) implements VineEvent {}
}
