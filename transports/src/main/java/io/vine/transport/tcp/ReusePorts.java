package io.vine.transport.tcp;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The listen addresses of one {@link TcpTransport} with {@code SO_REUSEPORT}: a dial binds its socket
 * to one of them first, so that it leaves from the port the node listens on. That is what TCP hole
 * punching needs: the NAT maps the dial to the port peers already saw (identify's observed address),
 * and two peers dialing each other from their listen ports meet in a simultaneous open.
 */
final class ReusePorts {
    private final Set<InetSocketAddress> listening = ConcurrentHashMap.newKeySet();

    void add(InetSocketAddress bound) {
        listening.add(bound);
    }

    void remove(InetSocketAddress bound) {
        listening.remove(bound);
    }

    /**
     * The local address to bind before connecting to {@code target}, or null to let the system pick:
     * a listener of the same family, of the same scope (a loopback listener only for loopback
     * targets), and never the target itself (a socket bound to its own destination connects to itself;
     * {@link TcpTransport} also drops such a self-connection when a wildcard listener hid it).
     */
    InetSocketAddress bindFor(InetSocketAddress target) {
        if (target.isUnresolved()) {
            return null;
        }
        boolean v4 = target.getAddress() instanceof Inet4Address;
        boolean loopbackTarget = target.getAddress().isLoopbackAddress();
        InetSocketAddress best = null;
        for (InetSocketAddress l : listening) {
            if ((l.getAddress() instanceof Inet4Address) != v4) {
                continue;
            }
            boolean wildcard = l.getAddress().isAnyLocalAddress();
            if (!wildcard && l.getAddress().isLoopbackAddress() != loopbackTarget) {
                continue;
            }
            if (l.getPort() == target.getPort() && (l.getAddress().equals(target.getAddress()) || loopbackTarget)) {
                continue;
            }
            // A listener on a specific address beats one on the wildcard: its address is the one peers saw.
            if (best == null || best.getAddress().isAnyLocalAddress() && !wildcard) {
                best = l;
            }
        }
        return best;
    }
}
