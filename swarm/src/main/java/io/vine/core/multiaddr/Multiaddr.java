package io.vine.core.multiaddr;

import static java.util.Objects.requireNonNull;

import io.vine.core.peer.PeerId;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * An immutable multiaddr: a sequence of {@link Component}s with a text form
 * ({@code /ip4/1.2.3.4/tcp/4001/p2p/12D3KooW...}) and a binary form (each component as varint code,
 * then its value, length-prefixed when variable). Equal multiaddrs have equal binary forms.
 *
 * <p>Bounded: at most {@value #MAX_LENGTH} bytes (binary) or characters (text), and at most
 * {@value #MAX_COMPONENTS} components. Parsing never resolves names.
 */
public final class Multiaddr {
    /** The longest binary form, and the longest text form accepted by {@link #parse}. */
    public static final int MAX_LENGTH = 1024;

    /** The largest number of components. */
    public static final int MAX_COMPONENTS = 32;

    private final List<Component> components;
    private final byte[] bytes;

    private Multiaddr(List<Component> components) {
        MultiaddrCodec.checkCount(components.size());
        for (int i = 0; i + 1 < components.size(); i++) {
            if (components.get(i).protocol().isPath()) {
                throw new MultiaddrFormatException("multiaddr: " + components.get(i).protocol()
                        + " must be the last component");
            }
        }
        this.components = List.copyOf(components);
        this.bytes = MultiaddrCodec.toBytes(this.components);
        if (bytes.length > MAX_LENGTH) {
            throw new MultiaddrFormatException(
                    "multiaddr: " + bytes.length + " bytes (expected: <= " + MAX_LENGTH + ")");
        }
    }

    /**
     * Parses the text form. A trailing {@code /} is ignored; {@code /ipfs/} is read as {@code /p2p/}.
     *
     * @throws MultiaddrFormatException if the text is not a valid multiaddr of known protocols
     */
    public static Multiaddr parse(String text) {
        requireNonNull(text, "text");
        return new Multiaddr(MultiaddrCodec.parseText(text));
    }

    /**
     * Decodes the binary form.
     *
     * @throws MultiaddrFormatException if the bytes are not a valid multiaddr of known protocols
     */
    public static Multiaddr fromBytes(byte[] bytes) {
        requireNonNull(bytes, "bytes");
        return new Multiaddr(MultiaddrCodec.parseBinary(bytes));
    }

    /**
     * The multiaddr of these components (may be empty).
     *
     * @throws MultiaddrFormatException if a path component is not last, or a bound is exceeded
     */
    public static Multiaddr of(List<Component> components) {
        requireNonNull(components, "components");
        return new Multiaddr(components);
    }

    /**
     * {@code /ip4/<a>/<transport>/<port>} or {@code /ip6/<a>/...} for a resolved address (with
     * {@code /ip6zone/} first for a scoped IPv6 address), {@code /dns/<host>/...} for an unresolved
     * one.
     *
     * @param transport {@code "tcp"} or {@code "udp"}
     */
    public static Multiaddr fromSocketAddress(InetSocketAddress address, String transport) {
        requireNonNull(address, "address");
        requireNonNull(transport, "transport");
        MultiaddrProtocol t = switch (transport) {
            case "tcp" -> MultiaddrProtocol.TCP;
            case "udp" -> MultiaddrProtocol.UDP;
            default -> throw new IllegalArgumentException("transport: '" + transport + "' (expected: tcp or udp)");
        };
        List<Component> out = new ArrayList<>(3);
        InetAddress ip = address.getAddress();
        if (address.isUnresolved() || ip == null) {
            out.add(Component.of(MultiaddrProtocol.DNS, address.getHostString()));
        } else if (ip instanceof Inet6Address ip6) {
            if (ip6.getScopedInterface() != null) {
                out.add(Component.of(MultiaddrProtocol.IP6ZONE, ip6.getScopedInterface().getName()));
            } else if (ip6.getScopeId() != 0) {
                out.add(Component.of(MultiaddrProtocol.IP6ZONE, Integer.toString(ip6.getScopeId())));
            }
            out.add(new Component(MultiaddrProtocol.IP6, ip6.getAddress()));
        } else {
            out.add(new Component(MultiaddrProtocol.IP4, ip.getAddress()));
        }
        out.add(Component.of(t, Integer.toString(address.getPort())));
        return new Multiaddr(out);
    }

    /**
     * The socket address of a multiaddr that starts with {@code ip4}, {@code ip6}, {@code dns},
     * {@code dns4} or {@code dns6} followed by {@code tcp} or {@code udp}; empty otherwise (also for
     * {@code ip6zone}). Names are left unresolved.
     */
    public Optional<InetSocketAddress> toSocketAddress() {
        if (components.size() < 2) {
            return Optional.empty();
        }
        Component host = components.get(0);
        Component port = components.get(1);
        if (port.protocol() != MultiaddrProtocol.TCP && port.protocol() != MultiaddrProtocol.UDP) {
            return Optional.empty();
        }
        int portNumber = Integer.parseInt(port.valueText());
        return switch (host.protocol()) {
            case IP4, IP6 -> {
                try {
                    yield Optional.of(new InetSocketAddress(InetAddress.getByAddress(host.rawValue()), portNumber));
                } catch (UnknownHostException e) {
                    throw new IllegalStateException("validated address of bad length", e);
                }
            }
            case DNS, DNS4, DNS6 -> Optional.of(InetSocketAddress.createUnresolved(host.valueText(), portNumber));
            default -> Optional.empty();
        };
    }

    /** The components, in order. */
    public List<Component> components() {
        return components;
    }

    /** True when there is no component (only {@link #of}, {@link #decapsulate} and the like give one). */
    public boolean isEmpty() {
        return components.isEmpty();
    }

    /** The binary form (a copy). */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /** This multiaddr followed by {@code other}. */
    public Multiaddr encapsulate(Multiaddr other) {
        requireNonNull(other, "other");
        List<Component> all = new ArrayList<>(components);
        all.addAll(other.components);
        return new Multiaddr(all);
    }

    /** This multiaddr up to (not including) the last {@code protocol} component; itself when absent. */
    public Multiaddr decapsulate(MultiaddrProtocol protocol) {
        requireNonNull(protocol, "protocol");
        for (int i = components.size() - 1; i >= 0; i--) {
            if (components.get(i).protocol() == protocol) {
                return new Multiaddr(components.subList(0, i));
            }
        }
        return this;
    }

    /** This multiaddr up to the last occurrence of {@code suffix}'s components; itself when absent. */
    public Multiaddr decapsulate(Multiaddr suffix) {
        requireNonNull(suffix, "suffix");
        int n = suffix.components.size();
        for (int i = components.size() - n; i >= 0 && n > 0; i--) {
            if (components.subList(i, i + n).equals(suffix.components)) {
                return new Multiaddr(components.subList(0, i));
            }
        }
        return this;
    }

    /** True when a component of {@code protocol} is present. */
    public boolean has(MultiaddrProtocol protocol) {
        requireNonNull(protocol, "protocol");
        return components.stream().anyMatch(c -> c.protocol() == protocol);
    }

    /** The text value of the first {@code protocol} component ("" for protocols without a value). */
    public Optional<String> value(MultiaddrProtocol protocol) {
        requireNonNull(protocol, "protocol");
        return components.stream().filter(c -> c.protocol() == protocol).findFirst().map(Component::valueText);
    }

    /** The peer id of the last {@code /p2p} component. */
    public Optional<PeerId> peerId() {
        for (int i = components.size() - 1; i >= 0; i--) {
            if (components.get(i).protocol() == MultiaddrProtocol.P2P) {
                return Optional.of(PeerId.fromBytes(components.get(i).rawValue()));
            }
        }
        return Optional.empty();
    }

    /** This multiaddr ending in {@code /p2p/<peerId>}: a final {@code /p2p} is replaced, otherwise one is appended. */
    public Multiaddr withPeerId(PeerId peerId) {
        requireNonNull(peerId, "peerId");
        List<Component> all = new ArrayList<>(withoutPeerId().components);
        all.add(new Component(MultiaddrProtocol.P2P, peerId.toBytes()));
        return new Multiaddr(all);
    }

    /** This multiaddr without its final {@code /p2p} component, if it ends in one. */
    public Multiaddr withoutPeerId() {
        int last = components.size() - 1;
        if (last >= 0 && components.get(last).protocol() == MultiaddrProtocol.P2P) {
            return new Multiaddr(components.subList(0, last));
        }
        return this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Multiaddr m && Arrays.equals(m.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** The text form, e.g. {@code /ip4/127.0.0.1/tcp/4001}; empty for an empty multiaddr. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        components.forEach(sb::append);
        return sb.toString();
    }
}
