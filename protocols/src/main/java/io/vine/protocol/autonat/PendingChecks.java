package io.vine.protocol.autonat;

import io.vine.core.multiaddr.Multiaddr;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The client's dial requests in flight, by nonce: a dial-back is believed only when it carries the
 * nonce of a request still waiting for its answer. Thread-safe; bounded to {@link #MAX_PENDING}.
 */
final class PendingChecks {
    static final int MAX_PENDING = 64;

    private final SecureRandom random = new SecureRandom();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();

    /** One request: the addresses asked for, and where a dial-back with its nonce arrived. */
    static final class Pending {
        final long nonce;
        final List<Multiaddr> addresses;
        private volatile Multiaddr dialedBackOn;

        Pending(long nonce, List<Multiaddr> addresses) {
            this.nonce = nonce;
            this.addresses = addresses;
        }

        Optional<Multiaddr> dialedBackOn() {
            return Optional.ofNullable(dialedBackOn);
        }
    }

    /** Registers a request under a fresh random nonce; empty when too many are in flight. */
    Optional<Pending> open(List<Multiaddr> addresses) {
        if (pending.size() >= MAX_PENDING) {
            return Optional.empty();
        }
        while (true) {
            long nonce = random.nextLong();
            Pending p = new Pending(nonce, addresses);
            if (pending.putIfAbsent(nonce, p) == null) {
                return Optional.of(p);
            }
        }
    }

    /** A dial-back carried {@code nonce} on a connection whose local address is {@code localAddress}. */
    boolean dialedBack(long nonce, Multiaddr localAddress) {
        Pending p = pending.get(nonce);
        if (p == null) {
            return false;
        }
        p.dialedBackOn = localAddress;
        return true;
    }

    void close(Pending p) {
        pending.remove(p.nonce, p);
    }

    int size() {
        return pending.size();
    }
}
