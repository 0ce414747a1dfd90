package io.vine.swarm;

import io.vine.core.Connection;
import io.vine.core.ConnectionException;
import io.vine.core.ConnectionGater;
import io.vine.core.DialException;
import io.vine.core.Direction;
import io.vine.core.PeerStore;
import io.vine.core.SwarmEvent;
import io.vine.core.Transport;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.peer.PeerId;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * Outbound connections: reuse an open one unless asked for a new one, join a dial already under way
 * to the same peer, try the peer store's addresses in turn, and back off from peers that fail.
 * Owned by the swarm loop.
 */
final class Dialer {
    private final SwarmLoop loop;
    private final SwarmLimits limits;
    private final List<Transport> transports;
    private final Handshakes handshakes;
    private final ConnectionRegistry registry;
    private final PeerStore peerStore;
    private final ConnectionGater gater;
    private final EventBus events;
    private final PeerId self;
    private final Map<PeerId, CompletableFuture<Connection>> pending = new HashMap<>();
    private final Map<PeerId, Backoff> backoff = new HashMap<>();

    private record Backoff(long until, int failures) {}

    /** Dials refused without trying because the peer was backed off. */
    final LongAdder backoffSkips = new LongAdder();

    Dialer(SwarmLoop loop, SwarmLimits limits, List<Transport> transports, Handshakes handshakes,
            ConnectionRegistry registry, PeerStore peerStore, ConnectionGater gater, EventBus events, PeerId self) {
        this.loop = loop;
        this.limits = limits;
        this.transports = transports;
        this.handshakes = handshakes;
        this.registry = registry;
        this.peerStore = peerStore;
        this.gater = gater;
        this.events = events;
        this.self = self;
    }

    CompletableFuture<Connection> dial(Multiaddr address, boolean forceNew) {
        return loop.compose(() -> {
            Optional<PeerId> peer = address.peerId();
            if (peer.isPresent() && !forceNew) {
                Optional<ConnectionImpl> open = registry.find(peer.get());
                if (open.isPresent()) {
                    return CompletableFuture.completedFuture(open.get());
                }
            }
            return attempt(address, peer, Direction.OUTBOUND);
        });
    }

    /** A new connection to {@code address} whose upgrade answers rather than leads (simultaneous open). */
    CompletableFuture<Connection> dialAsResponder(Multiaddr address) {
        return loop.compose(() -> attempt(address, address.peerId(), Direction.INBOUND));
    }

    CompletableFuture<Connection> dial(PeerId peer, boolean forceNew) {
        return loop.compose(() -> {
            if (!forceNew) {
                Optional<ConnectionImpl> open = registry.find(peer);
                if (open.isPresent()) {
                    return CompletableFuture.completedFuture(open.get());
                }
                CompletableFuture<Connection> joined = pending.get(peer);
                if (joined != null) {
                    return joined;
                }
            }
            Backoff b = backoff.get(peer);
            if (b != null && !forceNew && System.nanoTime() < b.until) {
                backoffSkips.increment();
                return Futures.failed(new DialException("dial to " + peer + " backed off after "
                        + b.failures + " failed attempts; retry in "
                        + Duration.ofNanos(b.until - System.nanoTime()).toSeconds() + " s"));
            }
            List<Multiaddr> addresses = peerStore.addresses(peer);
            if (addresses.isEmpty()) {
                return Futures.failed(new DialException("no known addresses for " + peer));
            }
            CompletableFuture<Connection> result = new CompletableFuture<>();
            pending.put(peer, result);
            result.whenComplete((c, e) -> loop.run(() -> pending.remove(peer, result)));
            tryNext(peer, addresses.iterator(), result, null);
            return result;
        });
    }

    private void tryNext(PeerId peer, Iterator<Multiaddr> addresses, CompletableFuture<Connection> result,
            Throwable last) {
        if (!addresses.hasNext()) {
            recordFailure(peer);
            result.completeExceptionally(new DialException("all addresses of " + peer + " failed"
                    + (last == null ? "" : "; last: " + last.getMessage()), last));
            return;
        }
        Multiaddr address = addresses.next().withPeerId(peer);
        attempt(address, Optional.of(peer), Direction.OUTBOUND).whenComplete((c, e) -> loop.run(() -> {
            if (e == null) {
                backoff.remove(peer);
                result.complete(c);
            } else {
                tryNext(peer, addresses, result, Futures.unwrap(e));
            }
        }));
    }

    private CompletableFuture<Connection> attempt(Multiaddr address, Optional<PeerId> peer, Direction role) {
        if (peer.isPresent() && peer.get().equals(self)) {
            return Futures.failed(new DialException("refusing to dial self at " + address));
        }
        Multiaddr target = address.withoutPeerId();
        Transport transport = transports.stream().filter(t -> t.canDial(target)).findFirst().orElse(null);
        if (transport == null) {
            return fail(peer, address, new DialException("no transport can dial " + address));
        }
        if (!gater.allowDial(peer.orElse(null), address)) {
            return fail(peer, address, new DialException("dial to " + address + " refused by the connection gater"));
        }
        CompletableFuture<Connection> result = new CompletableFuture<>();
        // The transport gets the address with its /p2p: a relay transport needs the target's id.
        handshakes.dial(transport, address, peer, role).whenComplete((c, e) -> {
            if (e != null) {
                fail(peer, address, Futures.unwrap(e)).whenComplete((x, err) -> result.completeExceptionally(err));
            } else {
                loop.run(() -> peerStore.addAddresses(c.remotePeer(), List.of(target), PeerStore.DEFAULT_ADDRESS_TTL));
                result.complete(c);
            }
        });
        return result;
    }

    private CompletableFuture<Connection> fail(Optional<PeerId> peer, Multiaddr address, Throwable cause) {
        events.publish(new SwarmEvent.DialFailed(peer, address, cause));
        return Futures.failed(cause instanceof ConnectionException ? cause
                : new DialException("dial " + address + " failed: " + cause.getMessage(), cause));
    }

    private void recordFailure(PeerId peer) {
        Backoff previous = backoff.get(peer);
        int failures = previous == null ? 1 : previous.failures + 1;
        long delay = limits.dialBackoffBase().toNanos() << Math.min(failures - 1, 16);
        delay = Math.min(delay, limits.dialBackoffMax().toNanos());
        backoff.put(peer, new Backoff(System.nanoTime() + delay, failures));
        if (backoff.size() > limits.maxPeers()) {
            long now = System.nanoTime();
            backoff.values().removeIf(b -> b.until < now);
        }
    }
}
