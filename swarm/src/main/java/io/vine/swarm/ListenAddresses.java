package io.vine.swarm;

import io.vine.core.multiaddr.Component;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.multiaddr.MultiaddrProtocol;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Turns a listener bound to the unspecified address (0.0.0.0, ::) into the addresses others can
 * reach: one per address of every interface that is up, of the same family.
 */
final class ListenAddresses {
    private ListenAddresses() {}

    static List<Multiaddr> expand(Multiaddr bound) {
        List<Component> parts = bound.components();
        if (parts.isEmpty()) {
            return List.of(bound);
        }
        MultiaddrProtocol family = parts.getFirst().protocol();
        String ip = parts.getFirst().valueText();
        boolean any4 = family == MultiaddrProtocol.IP4 && ip.equals("0.0.0.0");
        boolean any6 = family == MultiaddrProtocol.IP6 && ip.equals("::");
        if (!any4 && !any6) {
            return List.of(bound);
        }
        List<Multiaddr> out = new ArrayList<>();
        for (InetAddress address : interfaceAddresses()) {
            boolean match = any4 ? address instanceof Inet4Address
                    : address instanceof Inet6Address a6 && !a6.isLinkLocalAddress();
            if (match) {
                List<Component> copy = new ArrayList<>(parts);
                String text = address.getHostAddress().replaceFirst("%.*$", "");
                copy.set(0, Component.of(family, text));
                out.add(Multiaddr.of(copy));
            }
        }
        return out.isEmpty() ? List.of(bound) : out;
    }

    private static List<InetAddress> interfaceAddresses() {
        List<InetAddress> all = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (nic.isUp()) {
                    all.addAll(Collections.list(nic.getInetAddresses()));
                }
            }
        } catch (SocketException e) {
            return List.of();
        }
        return all;
    }
}
