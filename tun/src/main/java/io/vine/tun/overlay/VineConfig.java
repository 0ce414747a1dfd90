package io.vine.tun.overlay;

import static java.util.Objects.requireNonNull;

import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.peer.PeerId;
import io.vine.tun.IpPrefix;
import io.vine.tun.TunConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a {@link VineNode} is: the overlay's network id, the local TUN device (name, address with
 * prefix length, MTU, offloads, queues), the prefix this node owns, the allowlist (each peer with the
 * prefix it owns and whether it may relay), where to find peers (static bootstrap addresses first,
 * then seed records), the identity source, listen addresses and timers. Immutable; {@link #builder}
 * validates every field and names it in the message of what it refuses.
 *
 * <p>The allowlist may list this node too (one file shared by all nodes): an entry whose prefix equals
 * {@link #localPrefix()} is taken to be the local node, which {@link VineNode#init} verifies.
 */
public final class VineConfig {
    /** The control protocol version this node speaks. */
    public static final int PROTOCOL_VERSION = 1;
    private static final Pattern NETWORK_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final String networkId;
    private final String tunName;
    private final IpPrefix tunAddress;
    private final IpPrefix localPrefix;
    private final int mtu;
    private final boolean offload;
    private final int queues;
    private final List<PeerEntry> allowlist;
    private final List<Multiaddr> bootstrap;
    private final List<SeedRecord> seeds;
    private final IdentitySource identity;
    private final List<Multiaddr> listen;
    private final boolean relay;
    private final RelayLimits relayLimits;
    private final boolean strictAllowlist;
    private final boolean signalingUpgrade;
    private final Duration keepaliveInterval;
    private final Duration keepaliveTimeout;
    private final Duration redialMin;
    private final Duration redialMax;

    private VineConfig(Builder b) {
        networkId = b.networkId;
        tunName = b.tunName;
        tunAddress = b.tunAddress;
        localPrefix = b.localPrefix != null ? b.localPrefix.network() : tunAddress.network();
        mtu = b.mtu;
        offload = b.offload;
        queues = b.queues;
        allowlist = List.copyOf(b.allowlist);
        bootstrap = List.copyOf(b.bootstrap);
        seeds = List.copyOf(b.seeds);
        identity = b.identity;
        listen = List.copyOf(b.listen);
        relay = b.relay;
        relayLimits = b.relayLimits;
        strictAllowlist = b.strictAllowlist;
        signalingUpgrade = b.signalingUpgrade;
        keepaliveInterval = b.keepaliveInterval;
        keepaliveTimeout = b.keepaliveTimeout;
        redialMin = b.redialMin;
        redialMax = b.redialMax;
    }

    /** A builder for a node of overlay {@code networkId}. */
    public static Builder builder(String networkId) {
        return new Builder(networkId);
    }

    public String networkId() { return networkId; }

    public String tunName() { return tunName; }

    /** The device address with its prefix length (the overlay range the kernel routes into the device). */
    public IpPrefix tunAddress() { return tunAddress; }

    /** The prefix this node owns and announces (by default the network of {@link #tunAddress()}). */
    public IpPrefix localPrefix() { return localPrefix; }

    public int mtu() { return mtu; }

    /** Whether the device uses virtio-net headers and superpackets travel whole to peers that offload too. */
    public boolean offload() { return offload; }

    public int queues() { return queues; }

    public List<PeerEntry> allowlist() { return allowlist; }

    /** The allowlist entry of {@code peer}. */
    public Optional<PeerEntry> entry(PeerId peer) {
        return allowlist.stream().filter(e -> e.peer().equals(peer)).findFirst();
    }

    /** Static bootstrap addresses, each ending in /p2p of an allowlisted peer. */
    public List<Multiaddr> bootstrap() { return bootstrap; }

    public List<SeedRecord> seeds() { return seeds; }

    public IdentitySource identity() { return identity; }

    public List<Multiaddr> listen() { return listen; }

    /** Whether this node serves circuit relay v2 to allowlisted peers. */
    public boolean relay() { return relay; }

    /** What this node grants when it serves as a relay ({@link #relay()}). */
    public RelayLimits relayLimits() { return relayLimits; }

    /** Whether a peer not on the allowlist is disconnected right after the security handshake (default). */
    public boolean strictAllowlist() { return strictAllowlist; }

    /**
     * Whether the node runs DCUtR, so that a session on a relayed path can move onto a hole-punched
     * direct connection ({@code SIGNALING_ASSISTED}), with identify so that peers learn the addresses a
     * NAT maps for them; default true.
     */
    public boolean signalingUpgrade() { return signalingUpgrade; }

    public Duration keepaliveInterval() { return keepaliveInterval; }

    /** A path that has heard nothing for this long is closed. */
    public Duration keepaliveTimeout() { return keepaliveTimeout; }

    /** First delay of the direct re-dial back-off while a session has no direct path. */
    public Duration redialMin() { return redialMin; }

    public Duration redialMax() { return redialMax; }

    /**
     * The fields that differ between this config and {@code next} and that a running node cannot take
     * over ({@link VineNode#reload} applies the allowlist, bootstrap addresses, seeds and
     * {@link #strictAllowlist()}; everything else needs a restart). The identity is not compared here.
     */
    public List<String> restartOnlyChanges(VineConfig next) {
        requireNonNull(next, "next");
        List<String> out = new ArrayList<>();
        diff(out, "networkId", networkId, next.networkId);
        diff(out, "tunName", tunName, next.tunName);
        diff(out, "tunAddress", tunAddress, next.tunAddress);
        diff(out, "localPrefix", localPrefix, next.localPrefix);
        diff(out, "mtu", mtu, next.mtu);
        diff(out, "offload", offload, next.offload);
        diff(out, "queues", queues, next.queues);
        diff(out, "listen", listen, next.listen);
        diff(out, "relay", relay, next.relay);
        diff(out, "relayLimits", relayLimits, next.relayLimits);
        diff(out, "signalingUpgrade", signalingUpgrade, next.signalingUpgrade);
        diff(out, "keepalive", List.of(keepaliveInterval, keepaliveTimeout), List.of(next.keepaliveInterval, next.keepaliveTimeout));
        diff(out, "redial", List.of(redialMin, redialMax), List.of(next.redialMin, next.redialMax));
        return out;
    }

    private static void diff(List<String> out, String name, Object a, Object b) {
        if (!a.equals(b)) {
            out.add(name);
        }
    }

    /** The device config: name, MTU, address, offloads and queues of this config. */
    public TunConfig tunConfig() {
        return TunConfig.builder(tunName).mtu(mtu).address(tunAddress).vnetHdr(offload).queues(queues).build();
    }

    @Override
    public String toString() {
        return "VineConfig{network=" + networkId + ", tun=" + tunName + " " + tunAddress + ", prefix=" + localPrefix
                + ", mtu=" + mtu + ", peers=" + allowlist.size() + ", bootstrap=" + bootstrap + ", relay=" + relay + "}";
    }

    /** Builds a {@link VineConfig}; {@link #build()} validates. */
    public static final class Builder {
        private final String networkId;
        private String tunName = "vine0";
        private IpPrefix tunAddress;
        private IpPrefix localPrefix;
        private int mtu = TunConfig.DEFAULT_MTU;
        private boolean offload;
        private int queues = 1;
        private final List<PeerEntry> allowlist = new ArrayList<>();
        private final List<Multiaddr> bootstrap = new ArrayList<>();
        private final List<SeedRecord> seeds = new ArrayList<>();
        private IdentitySource identity = IdentitySource.generated();
        private final List<Multiaddr> listen = new ArrayList<>();
        private boolean relay;
        private RelayLimits relayLimits = RelayLimits.DEFAULT;
        private boolean strictAllowlist = true;
        private boolean signalingUpgrade = true;
        private Duration keepaliveInterval = Duration.ofSeconds(5);
        private Duration keepaliveTimeout = Duration.ofSeconds(20);
        private Duration redialMin = Duration.ofSeconds(1);
        private Duration redialMax = Duration.ofSeconds(30);

        private Builder(String networkId) {
            this.networkId = requireNonNull(networkId, "networkId");
        }

        public Builder tunName(String name) { this.tunName = requireNonNull(name, "tunName"); return this; }

        /** The device address with prefix length, e.g. {@code 10.42.1.1/16}. */
        public Builder tunAddress(IpPrefix address) { this.tunAddress = requireNonNull(address, "tunAddress"); return this; }

        public Builder tunAddress(String text) { return tunAddress(IpPrefix.parse(text)); }

        /** The prefix this node owns, e.g. {@code 10.42.1.0/24}; must contain the device address. */
        public Builder localPrefix(IpPrefix prefix) { this.localPrefix = requireNonNull(prefix, "localPrefix"); return this; }

        public Builder localPrefix(String text) { return localPrefix(IpPrefix.parse(text)); }

        public Builder mtu(int mtu) { this.mtu = mtu; return this; }

        public Builder offload(boolean offload) { this.offload = offload; return this; }

        public Builder queues(int queues) { this.queues = queues; return this; }

        public Builder peer(PeerEntry entry) { allowlist.add(requireNonNull(entry, "entry")); return this; }

        public Builder peer(PeerId peer, String prefix, boolean relay) {
            return peer(new PeerEntry(peer, IpPrefix.parse(prefix), relay));
        }

        public Builder bootstrap(Multiaddr address) { bootstrap.add(requireNonNull(address, "bootstrap")); return this; }

        public Builder seed(SeedRecord seed) { seeds.add(requireNonNull(seed, "seed")); return this; }

        public Builder identity(IdentitySource identity) { this.identity = requireNonNull(identity, "identity"); return this; }

        public Builder listen(Multiaddr address) { listen.add(requireNonNull(address, "listen")); return this; }

        public Builder relay(boolean relay) { this.relay = relay; return this; }

        public Builder relayLimits(RelayLimits limits) { this.relayLimits = requireNonNull(limits, "relayLimits"); return this; }

        public Builder strictAllowlist(boolean strict) { this.strictAllowlist = strict; return this; }

        /** Runs DCUtR to upgrade relayed sessions to hole-punched direct paths (default true). */
        public Builder signalingUpgrade(boolean enabled) { this.signalingUpgrade = enabled; return this; }

        public Builder keepalive(Duration interval, Duration timeout) {
            this.keepaliveInterval = requireNonNull(interval, "keepaliveInterval");
            this.keepaliveTimeout = requireNonNull(timeout, "keepaliveTimeout");
            return this;
        }

        public Builder redial(Duration min, Duration max) {
            this.redialMin = requireNonNull(min, "redialMin");
            this.redialMax = requireNonNull(max, "redialMax");
            return this;
        }

        /** Validates and builds. @throws IllegalArgumentException naming the first field that is wrong */
        public VineConfig build() {
            if (!NETWORK_ID.matcher(networkId).matches()) {
                throw new IllegalArgumentException("networkId: '" + networkId
                        + "' (expected: 1 to 64 characters of A-Z a-z 0-9 . _ -)");
            }
            if (tunAddress == null) {
                throw new IllegalArgumentException("tunAddress: not set (expected: the device address with prefix length, e.g. 10.42.1.1/16)");
            }
            IpPrefix owned = localPrefix != null ? localPrefix.network() : tunAddress.network();
            if (owned.isIpv4() != tunAddress.isIpv4() || !owned.contains(tunAddress.address())) {
                throw new IllegalArgumentException("localPrefix: " + owned + " (expected: a prefix that contains tunAddress "
                        + tunAddress.address().getHostAddress() + ")");
            }
            checkDevice();
            Set<PeerId> seen = new HashSet<>();
            for (int i = 0; i < allowlist.size(); i++) {
                PeerEntry e = allowlist.get(i);
                if (!seen.add(e.peer())) {
                    throw new IllegalArgumentException("allowlist[" + i + "].peer: " + e.peer() + " (expected: each peer once)");
                }
                if (overlaps(e.prefix(), owned) && !e.prefix().equals(owned)) {
                    throw new IllegalArgumentException("allowlist[" + i + "].prefix: " + e.prefix()
                            + " overlaps localPrefix " + owned + " (expected: disjoint prefixes)");
                }
                for (int j = 0; j < i; j++) {
                    if (overlaps(e.prefix(), allowlist.get(j).prefix())) {
                        throw new IllegalArgumentException("allowlist[" + i + "].prefix: " + e.prefix() + " overlaps allowlist["
                                + j + "].prefix " + allowlist.get(j).prefix() + " (expected: disjoint prefixes)");
                    }
                }
            }
            if (allowlist.stream().filter(e -> e.prefix().equals(owned)).count() > 1) {
                throw new IllegalArgumentException("allowlist: two entries own localPrefix " + owned);
            }
            for (int i = 0; i < bootstrap.size(); i++) {
                Optional<PeerId> p = bootstrap.get(i).peerId();
                if (p.isEmpty() || !seen.contains(p.get())) {
                    throw new IllegalArgumentException("bootstrap[" + i + "]: " + bootstrap.get(i)
                            + " (expected: an address ending in /p2p/<id> of an allowlisted peer)");
                }
            }
            for (int i = 0; i < seeds.size(); i++) {
                SeedRecord s = seeds.get(i);
                if (!seen.contains(s.peer())) {
                    throw new IllegalArgumentException("seeds[" + i + "].peer: " + s.peer() + " (expected: an allowlisted peer)");
                }
                if (s.addresses().isEmpty()) {
                    throw new IllegalArgumentException("seeds[" + i + "].addresses: empty (expected: at least one address)");
                }
            }
            checkTimers();
            return new VineConfig(this);
        }

        private void checkDevice() {
            try {
                TunConfig.builder(tunName).mtu(mtu).address(tunAddress).vnetHdr(offload).queues(queues).build();
            } catch (IllegalArgumentException e) {
                String m = e.getMessage();
                String field = m.startsWith("name") ? "tunName" + m.substring(4)
                        : m.startsWith("addresses") ? "tunAddress" + m.substring(9) : m;
                throw new IllegalArgumentException(field, e);
            }
        }

        private void checkTimers() {
            positive("keepaliveInterval", keepaliveInterval);
            positive("redialMin", redialMin);
            if (keepaliveTimeout.compareTo(keepaliveInterval) <= 0) {
                throw new IllegalArgumentException("keepaliveTimeout: " + keepaliveTimeout + " (expected: > keepaliveInterval "
                        + keepaliveInterval + ")");
            }
            if (redialMax.compareTo(redialMin) < 0) {
                throw new IllegalArgumentException("redialMax: " + redialMax + " (expected: >= redialMin " + redialMin + ")");
            }
        }

        private static void positive(String name, Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + ": " + d + " (expected: > 0)");
            }
        }

        private static boolean overlaps(IpPrefix a, IpPrefix b) {
            if (a.isIpv4() != b.isIpv4()) {
                return false;
            }
            return a.length() <= b.length() ? a.contains(b.address()) : b.contains(a.address());
        }
    }
}
