package io.vine.tun;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How to open and configure a TUN device: its name, MTU, addresses, routes, whether frames carry a
 * virtio-net header (offloads), how many queues, and optionally the network namespace to create it
 * in. Immutable; build with {@link #builder(String)}.
 */
public final class TunConfig {
    /** Largest queue count the kernel allows for one multi-queue TUN device. */
    public static final int MAX_QUEUES = 256;
    /** Smallest MTU IPv6 accepts; a device with an IPv6 address or route needs at least this. */
    public static final int IPV6_MIN_MTU = 1280;
    /** MTU used when none is set: room for overlay framing inside a 1500-byte path. */
    public static final int DEFAULT_MTU = 1420;

    private final String name;
    private final int mtu;
    private final List<IpPrefix> addresses;
    private final List<IpPrefix> routes;
    private final boolean vnetHdr;
    private final int queues;
    private final Optional<Path> netns;

    private TunConfig(Builder b) {
        this.name = b.name;
        this.mtu = b.mtu;
        this.addresses = List.copyOf(b.addresses);
        this.routes = List.copyOf(b.routes);
        this.vnetHdr = b.vnetHdr;
        this.queues = b.queues;
        this.netns = Optional.ofNullable(b.netns);
    }

    /** A builder for a device named {@code name} (1 to 15 bytes, e.g. {@code "vine0"}). */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The interface name. */
    public String name() {
        return name;
    }

    /** The link MTU: the largest IP packet the device carries (without offloads). */
    public int mtu() {
        return mtu;
    }

    /** Addresses assigned to the device, with their prefix (host bits kept). */
    public List<IpPrefix> addresses() {
        return addresses;
    }

    /** Prefixes routed into the device (host bits ignored). */
    public List<IpPrefix> routes() {
        return routes;
    }

    /** Whether each frame starts with a virtio-net header and TCP segmentation offload is on. */
    public boolean vnetHdr() {
        return vnetHdr;
    }

    /** Number of queues (file descriptors) on the device; more than one means IFF_MULTI_QUEUE. */
    public int queues() {
        return queues;
    }

    /** The network namespace file (such as {@code /run/netns/x}) to create the device in, if not the current one. */
    public Optional<Path> netns() {
        return netns;
    }

    @Override
    public String toString() {
        return "TunConfig{name=" + name + ", mtu=" + mtu + ", addresses=" + addresses + ", routes=" + routes
                + ", vnetHdr=" + vnetHdr + ", queues=" + queues + netns.map(p -> ", netns=" + p).orElse("") + "}";
    }

    /** Builds a {@link TunConfig}; {@link #build()} validates every field. */
    public static final class Builder {
        private final String name;
        private int mtu = DEFAULT_MTU;
        private final List<IpPrefix> addresses = new ArrayList<>();
        private final List<IpPrefix> routes = new ArrayList<>();
        private boolean vnetHdr;
        private int queues = 1;
        private Path netns;

        private Builder(String name) {
            this.name = requireNonNull(name, "name");
        }

        public Builder mtu(int mtu) {
            this.mtu = mtu;
            return this;
        }

        /** Adds an address such as {@code 10.99.0.1/24}: the kernel adds the connected route for its prefix. */
        public Builder address(IpPrefix address) {
            addresses.add(requireNonNull(address, "address"));
            return this;
        }

        /** Shorthand for {@code address(IpPrefix.parse(text))}. */
        public Builder address(String text) {
            return address(IpPrefix.parse(text));
        }

        /** Routes a prefix into the device (in addition to the connected routes of its addresses). */
        public Builder route(IpPrefix route) {
            routes.add(requireNonNull(route, "route"));
            return this;
        }

        /** Shorthand for {@code route(IpPrefix.parse(text))}. */
        public Builder route(String text) {
            return route(IpPrefix.parse(text));
        }

        public Builder vnetHdr(boolean vnetHdr) {
            this.vnetHdr = vnetHdr;
            return this;
        }

        public Builder queues(int queues) {
            this.queues = queues;
            return this;
        }

        public Builder netns(Path netns) {
            this.netns = requireNonNull(netns, "netns");
            return this;
        }

        public TunConfig build() {
            int nameBytes = name.getBytes(StandardCharsets.UTF_8).length;
            if (nameBytes == 0 || nameBytes > 15 || name.equals(".") || name.equals("..")
                    || name.chars().anyMatch(c -> c == '/' || c == ':' || c == '%' || Character.isWhitespace(c))) {
                throw new IllegalArgumentException("name: '" + name
                        + "' (expected: 1 to 15 bytes without '/', ':', '%' or whitespace)");
            }
            if (mtu < 68 || mtu > 65535) {
                throw new IllegalArgumentException("mtu: " + mtu + " (expected: 68..65535)");
            }
            boolean ipv6 = addresses.stream().anyMatch(a -> !a.isIpv4()) || routes.stream().anyMatch(r -> !r.isIpv4());
            if (ipv6 && mtu < IPV6_MIN_MTU) {
                throw new IllegalArgumentException("mtu: " + mtu + " (expected: >= " + IPV6_MIN_MTU
                        + " when an IPv6 address or route is configured)");
            }
            if (queues < 1 || queues > MAX_QUEUES) {
                throw new IllegalArgumentException("queues: " + queues + " (expected: 1.." + MAX_QUEUES + ")");
            }
            if (addresses.stream().distinct().count() != addresses.size()) {
                throw new IllegalArgumentException("addresses: " + addresses + " (expected: no duplicates)");
            }
            if (routes.stream().map(IpPrefix::network).distinct().count() != routes.size()) {
                throw new IllegalArgumentException("routes: " + routes + " (expected: no duplicates)");
            }
            return new TunConfig(this);
        }
    }
}
