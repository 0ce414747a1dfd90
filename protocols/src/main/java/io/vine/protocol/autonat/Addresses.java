package io.vine.protocol.autonat;

import io.vine.core.multiaddr.Component;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.multiaddr.MultiaddrProtocol;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/** Address rules of AutoNAT: which addresses may be tested and dialed, and how IPs compare. */
final class Addresses {
    private Addresses() {}

    /** The IP of an address that starts with /ip4 or /ip6; empty otherwise. */
    static Optional<InetAddress> ip(Multiaddr address) {
        List<Component> parts = address.components();
        if (parts.isEmpty()) {
            return Optional.empty();
        }
        Component first = parts.getFirst();
        if (first.protocol() != MultiaddrProtocol.IP4 && first.protocol() != MultiaddrProtocol.IP6) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByAddress(first.value()));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether an address may be tested (by a client) or dialed back (by a server): a direct IP
     * address with a transport after it, not relayed, and public unless {@code allowPrivate}.
     */
    static boolean testable(Multiaddr address, boolean allowPrivate) {
        if (address.has(MultiaddrProtocol.P2P_CIRCUIT) || address.components().size() < 2) {
            return false;
        }
        Optional<InetAddress> ip = ip(address);
        return ip.isPresent() && !ip.get().isAnyLocalAddress() && !ip.get().isMulticastAddress()
                && (allowPrivate || isPublic(ip.get()));
    }

    /** Not loopback, link-local, site-local (RFC 1918), unique-local (fc00::/7) or shared (100.64/10). */
    static boolean isPublic(InetAddress ip) {
        if (ip.isLoopbackAddress() || ip.isLinkLocalAddress() || ip.isSiteLocalAddress() || ip.isAnyLocalAddress()) {
            return false;
        }
        byte[] b = ip.getAddress();
        if (b.length == 16) {
            return (b[0] & 0xfe) != 0xfc;
        }
        boolean carrierGradeNat = (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;
        return !carrierGradeNat && (b[0] & 0xff) != 0;
    }

    /** Whether two addresses use the same protocols in the same order (values and /p2p aside). */
    static boolean sameTransport(Multiaddr a, Multiaddr b) {
        List<Component> x = a.withoutPeerId().components();
        List<Component> y = b.withoutPeerId().components();
        if (x.size() != y.size()) {
            return false;
        }
        for (int i = 0; i < x.size(); i++) {
            if (x.get(i).protocol() != y.get(i).protocol()) {
                return false;
            }
        }
        return true;
    }

    /** The port of the second component (tcp/udp), or -1. */
    static int port(Multiaddr address) {
        List<Component> parts = address.components();
        if (parts.size() < 2) {
            return -1;
        }
        MultiaddrProtocol p = parts.get(1).protocol();
        return p == MultiaddrProtocol.TCP || p == MultiaddrProtocol.UDP ? Integer.parseInt(parts.get(1).valueText()) : -1;
    }

    /** The group an observer's IP counts in: the whole IPv4 address, the /56 of an IPv6 one. */
    static String observerGroup(InetAddress ip) {
        byte[] b = ip.getAddress();
        if (b.length == 4) {
            return ip.getHostAddress();
        }
        StringBuilder s = new StringBuilder("v6:");
        for (int i = 0; i < 7; i++) {
            s.append(String.format("%02x", b[i] & 0xff));
        }
        return s.toString();
    }
}
