package io.vine.protocol.relay;

import static java.util.Objects.requireNonNull;

import io.vine.core.peer.PeerId;
import java.time.Duration;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

/**
 * What a relay ({@link RelayService}) grants: how many reservations and circuits, for how long and how
 * much data, and to whom. Immutable; made with {@link #builder()}.
 *
 * <p>Reservations: at most {@link #maxReservations()} peers hold one at a time (more get
 * RESOURCE_LIMIT_EXCEEDED); at most {@link #maxReservationsPerIp()} of them from one IP address, and
 * a peer may send at most {@link #maxReservationsPerPeer()} RESERVE requests (refreshes included)
 * per {@link #reservationTtl()} (more get RESERVATION_REFUSED). Circuits: at most
 * {@link #maxCircuits()} relayed or being set up, at most {@link #maxCircuitsPerPeer()} per peer as
 * initiator or target (more get RESOURCE_LIMIT_EXCEEDED). Each circuit closes after
 * {@link #circuitDuration()} or once one direction carried {@link #circuitBytes()}, unless one of its
 * ends is in {@link #unlimitedPeers()}. A peer refused by {@link #reservationPolicy()} or a pair
 * refused by {@link #connectPolicy()} gets PERMISSION_DENIED.
 */
public final class RelayConfig {
    /** The message size the spec implementations accept. */
    public static final int MAX_MESSAGE_BYTES = 4096;

    private final int maxReservations;
    private final int maxReservationsPerPeer;
    private final int maxReservationsPerIp;
    private final Duration reservationTtl;
    private final int maxCircuits;
    private final int maxCircuitsPerPeer;
    private final Duration circuitDuration;
    private final long circuitBytes;
    private final Set<PeerId> unlimitedPeers;
    private final Predicate<PeerId> reservationPolicy;
    private final BiPredicate<PeerId, PeerId> connectPolicy;
    private final Duration handshakeTimeout;

    private RelayConfig(Builder b) {
        this.maxReservations = b.maxReservations;
        this.maxReservationsPerPeer = b.maxReservationsPerPeer;
        this.maxReservationsPerIp = b.maxReservationsPerIp;
        this.reservationTtl = b.reservationTtl;
        this.maxCircuits = b.maxCircuits;
        this.maxCircuitsPerPeer = b.maxCircuitsPerPeer;
        this.circuitDuration = b.circuitDuration;
        this.circuitBytes = b.circuitBytes;
        this.unlimitedPeers = Set.copyOf(b.unlimitedPeers);
        this.reservationPolicy = b.reservationPolicy;
        this.connectPolicy = b.connectPolicy;
        this.handshakeTimeout = b.handshakeTimeout;
    }

    /** The defaults: 128 reservations (8 per IP, 8 requests per peer per hour-long TTL), 64 circuits (16 per peer) of 2 min and 128 KiB. */
    public static RelayConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public int maxReservations() {
        return maxReservations;
    }

    public int maxReservationsPerPeer() {
        return maxReservationsPerPeer;
    }

    public int maxReservationsPerIp() {
        return maxReservationsPerIp;
    }

    public Duration reservationTtl() {
        return reservationTtl;
    }

    public int maxCircuits() {
        return maxCircuits;
    }

    public int maxCircuitsPerPeer() {
        return maxCircuitsPerPeer;
    }

    public Duration circuitDuration() {
        return circuitDuration;
    }

    public long circuitBytes() {
        return circuitBytes;
    }

    public Set<PeerId> unlimitedPeers() {
        return unlimitedPeers;
    }

    public Predicate<PeerId> reservationPolicy() {
        return reservationPolicy;
    }

    public BiPredicate<PeerId, PeerId> connectPolicy() {
        return connectPolicy;
    }

    /** How long a hop or stop stream may take to bring its message (and the stop side its answer). */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** Whether circuits between {@code a} and {@code b} run without duration and data limits. */
    public boolean unlimited(PeerId a, PeerId b) {
        return unlimitedPeers.contains(a) || unlimitedPeers.contains(b);
    }

    @Override
    public String toString() {
        return "RelayConfig(reservations " + maxReservations + " (" + maxReservationsPerPeer + "/peer/ttl, "
                + maxReservationsPerIp + "/ip), ttl " + reservationTtl + ", circuits " + maxCircuits + " ("
                + maxCircuitsPerPeer + "/peer), " + circuitDuration + ", " + circuitBytes + " bytes, "
                + unlimitedPeers.size() + " unlimited peers)";
    }

    /** Builds a {@link RelayConfig}. */
    public static final class Builder {
        private int maxReservations = 128;
        private int maxReservationsPerPeer = 8;
        private int maxReservationsPerIp = 8;
        private Duration reservationTtl = Duration.ofHours(1);
        private int maxCircuits = 64;
        private int maxCircuitsPerPeer = 16;
        private Duration circuitDuration = Duration.ofMinutes(2);
        private long circuitBytes = 128 * 1024;
        private Set<PeerId> unlimitedPeers = Set.of();
        private Predicate<PeerId> reservationPolicy = p -> true;
        private BiPredicate<PeerId, PeerId> connectPolicy = (src, dst) -> true;
        private Duration handshakeTimeout = Duration.ofSeconds(10);

        private Builder() {}

        public Builder maxReservations(int n) {
            this.maxReservations = positive(n, "maxReservations");
            return this;
        }

        public Builder maxReservationsPerPeer(int n) {
            this.maxReservationsPerPeer = positive(n, "maxReservationsPerPeer");
            return this;
        }

        public Builder maxReservationsPerIp(int n) {
            this.maxReservationsPerIp = positive(n, "maxReservationsPerIp");
            return this;
        }

        /** How long a reservation lasts (whole seconds, at least 1 s); the client refreshes it before. */
        public Builder reservationTtl(Duration ttl) {
            this.reservationTtl = atLeastSecond(ttl, "reservationTtl");
            return this;
        }

        public Builder maxCircuits(int n) {
            this.maxCircuits = positive(n, "maxCircuits");
            return this;
        }

        public Builder maxCircuitsPerPeer(int n) {
            this.maxCircuitsPerPeer = positive(n, "maxCircuitsPerPeer");
            return this;
        }

        /** How long a limited circuit may last (whole seconds, at least 1 s). */
        public Builder circuitDuration(Duration duration) {
            this.circuitDuration = atLeastSecond(duration, "circuitDuration");
            return this;
        }

        /** How many bytes each direction of a limited circuit may carry. */
        public Builder circuitBytes(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("circuitBytes: " + bytes + " (expected: > 0)");
            }
            this.circuitBytes = bytes;
            return this;
        }

        /** Peers whose circuits (as initiator or target) have no duration or data limit. */
        public Builder unlimitedPeers(Set<PeerId> peers) {
            this.unlimitedPeers = Set.copyOf(requireNonNull(peers, "peers"));
            return this;
        }

        /** Which peers may reserve; others get PERMISSION_DENIED. */
        public Builder reservationPolicy(Predicate<PeerId> policy) {
            this.reservationPolicy = requireNonNull(policy, "policy");
            return this;
        }

        /** Which (initiator, target) pairs may connect; others get PERMISSION_DENIED. */
        public Builder connectPolicy(BiPredicate<PeerId, PeerId> policy) {
            this.connectPolicy = requireNonNull(policy, "policy");
            return this;
        }

        public Builder handshakeTimeout(Duration timeout) {
            requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("handshakeTimeout: " + timeout + " (expected: > 0)");
            }
            this.handshakeTimeout = timeout;
            return this;
        }

        public RelayConfig build() {
            return new RelayConfig(this);
        }

        private static int positive(int n, String name) {
            if (n <= 0) {
                throw new IllegalArgumentException(name + ": " + n + " (expected: > 0)");
            }
            return n;
        }

        private static Duration atLeastSecond(Duration d, String name) {
            requireNonNull(d, name);
            if (d.toSeconds() < 1 || d.toSeconds() > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException(name + ": " + d + " (expected: >= 1 s)");
            }
            return d;
        }
    }
}
