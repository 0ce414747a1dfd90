package io.vine.tun.overlay;

import io.vine.core.peer.PeerId;
import io.vine.tun.IpPrefix;
import io.vine.tun.route.Route;
import io.vine.tun.session.PathKind;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a node knows, as one immutable value: for status commands and bug reports.
 *
 * @param localPeer this node's peer id
 * @param networkId the overlay's network id
 * @param state the lifecycle state
 * @param localPrefix the prefix this node owns
 * @param peers every allowlisted peer and whether it is admitted
 * @param routes the route table, longest prefixes first
 * @param sessions one per allowlisted peer, with its paths
 * @param counters the counters, as {@link Diagnostics#counters()}
 */
public record DebugSnapshot(PeerId localPeer, String networkId, VineNode.State state, IpPrefix localPrefix,
        List<PeerView> peers, List<Route> routes, List<SessionView> sessions, Map<String, Long> counters) {

    public DebugSnapshot {
        peers = List.copyOf(peers);
        routes = List.copyOf(routes);
        sessions = List.copyOf(sessions);
        counters = Map.copyOf(counters);
    }

    /**
     * An allowlisted peer: its prefix, relay flag, whether its hello was accepted on some path, and why it
     * was last refused (empty if it was not, or said a good hello since).
     */
    public record PeerView(PeerId peer, IpPrefix prefix, boolean relay, boolean admitted, Optional<String> refused) {}

    /** A session: the preferred path kind (empty when no path is ready) and every path. */
    public record SessionView(PeerId peer, Optional<PathKind> preferred, List<PathView> paths) {
        public SessionView {
            paths = List.copyOf(paths);
        }
    }

    /** One path: the connection it runs on, whether it can carry packets and whether it is the one that does. */
    public record PathView(PathKind kind, String connectionId, String remoteAddress, boolean ready, boolean offload,
            boolean preferred) {}
}
