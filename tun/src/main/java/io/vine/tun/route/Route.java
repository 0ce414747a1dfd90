package io.vine.tun.route;

import static java.util.Objects.requireNonNull;

import io.vine.core.peer.PeerId;
import io.vine.tun.IpPrefix;

/**
 * One route: {@code prefix} (host bits cleared) is owned by {@code owner} since the announce of
 * {@code epoch}.
 *
 * @param prefix the network prefix
 * @param owner the peer that owns it
 * @param epoch the owner's epoch of the announce that installed it
 */
public record Route(IpPrefix prefix, PeerId owner, long epoch) {
    public Route {
        requireNonNull(prefix, "prefix");
        requireNonNull(owner, "owner");
        prefix = prefix.network();
    }

    @Override
    public String toString() {
        return prefix + " -> " + owner + " @" + epoch;
    }
}
