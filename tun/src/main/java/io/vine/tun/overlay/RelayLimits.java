package io.vine.tun.overlay;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a relay-capable node grants as a circuit relay: at most {@code maxReservations} peers hold a
 * reservation, at most {@code maxCircuits} circuits run at once. Without a circuit duration or data
 * limit (the default) a circuit between allowlisted peers lasts as long as both ends keep it, which is
 * what a session that fell back to the relay needs; with one, every circuit is closed when it reaches
 * the limit (the session then takes a new relayed connection or its direct path).
 *
 * @param maxReservations at most this many peers hold a reservation at a time (> 0)
 * @param maxCircuits at most this many circuits run or are being set up at a time (> 0)
 * @param circuitDuration each circuit closes after this long (whole seconds, at least 1 s), if set
 * @param circuitBytes each direction of a circuit carries at most this many bytes (> 0), if set
 */
public record RelayLimits(int maxReservations, int maxCircuits, Optional<Duration> circuitDuration, OptionalLong circuitBytes) {
    /** 128 reservations, 64 circuits, circuits without duration or data limit. */
    public static final RelayLimits DEFAULT = new RelayLimits(128, 64, Optional.empty(), OptionalLong.empty());

    public RelayLimits {
        requireNonNull(circuitDuration, "circuitDuration");
        requireNonNull(circuitBytes, "circuitBytes");
        if (maxReservations <= 0) {
            throw new IllegalArgumentException("maxReservations: " + maxReservations + " (expected: > 0)");
        }
        if (maxCircuits <= 0) {
            throw new IllegalArgumentException("maxCircuits: " + maxCircuits + " (expected: > 0)");
        }
        circuitDuration.ifPresent(d -> {
            if (d.toSeconds() < 1) {
                throw new IllegalArgumentException("circuitDuration: " + d + " (expected: >= 1 s)");
            }
        });
        if (circuitBytes.isPresent() && circuitBytes.getAsLong() <= 0) {
            throw new IllegalArgumentException("circuitBytes: " + circuitBytes.getAsLong() + " (expected: > 0)");
        }
    }

    /** Whether circuits have a duration or data limit. */
    public boolean limitsCircuits() {
        return circuitDuration.isPresent() || circuitBytes.isPresent();
    }
}
