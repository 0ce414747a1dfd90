package io.vine.swarm;

import io.vine.core.PeerStore;
import io.vine.core.Reachability;
import io.vine.core.crypto.PubKey;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.peer.PeerId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The peer store, confined to the swarm loop: updates from other threads are queued to it, reads
 * from other threads wait for it. Least recently updated peers are evicted past the limit.
 */
final class DefaultPeerStore implements PeerStore {
    private static final int MAX_PROTOCOLS = 256;
    private static final int MAX_OBSERVED = 16;
    private static final int MAX_REACHABILITY = 64;

    private final SwarmLoop loop;
    private final int maxPeers;
    private final int maxAddresses;
    private final LinkedHashMap<PeerId, Entry> peers = new LinkedHashMap<>(64, 0.75f, true);
    private final Map<Multiaddr, Integer> observed = new HashMap<>();
    private final LinkedHashMap<Multiaddr, Reachability> reachability = new LinkedHashMap<>();

    private static final class Entry {
        final LinkedHashMap<Multiaddr, Long> addresses = new LinkedHashMap<>();
        Set<String> protocols = Set.of();
        PubKey publicKey;
        String agentVersion;
        String protocolVersion;
        Duration latency;
    }

    DefaultPeerStore(SwarmLoop loop, int maxPeers, int maxAddresses) {
        this.loop = loop;
        this.maxPeers = maxPeers;
        this.maxAddresses = maxAddresses;
    }

    private Entry entry(PeerId peer) {
        Entry e = peers.computeIfAbsent(peer, p -> new Entry());
        if (peers.size() > maxPeers) {
            PeerId eldest = peers.keySet().iterator().next();
            peers.remove(eldest);
        }
        return e;
    }

    @Override
    public void addAddresses(PeerId peer, Collection<Multiaddr> addresses, Duration ttl) {
        List<Multiaddr> copy = addresses.stream().map(Multiaddr::withoutPeerId).toList();
        loop.run(() -> {
            Entry e = entry(peer);
            long expiry = System.nanoTime() + ttl.toNanos();
            for (Multiaddr a : copy) {
                e.addresses.remove(a);
                e.addresses.put(a, expiry);
            }
            while (e.addresses.size() > maxAddresses) {
                e.addresses.remove(e.addresses.keySet().iterator().next());
            }
        });
    }

    @Override
    public void replaceAddresses(PeerId peer, Collection<Multiaddr> addresses, Duration ttl) {
        loop.run(() -> entry(peer).addresses.clear());
        addAddresses(peer, addresses, ttl);
    }

    @Override
    public List<Multiaddr> addresses(PeerId peer) {
        return loop.call(() -> {
            Entry e = peers.get(peer);
            if (e == null) {
                return List.of();
            }
            long now = System.nanoTime();
            e.addresses.values().removeIf(expiry -> expiry - now < 0);
            List<Multiaddr> list = new ArrayList<>(e.addresses.keySet());
            java.util.Collections.reverse(list);
            return List.copyOf(list);
        });
    }

    @Override
    public void setProtocols(PeerId peer, Collection<String> protocols) {
        Set<String> copy = Set.copyOf(protocols.stream().limit(MAX_PROTOCOLS).toList());
        loop.run(() -> entry(peer).protocols = copy);
    }

    @Override
    public Set<String> protocols(PeerId peer) {
        return loop.call(() -> Optional.ofNullable(peers.get(peer)).map(e -> e.protocols).orElse(Set.of()));
    }

    @Override
    public void setPublicKey(PeerId peer, PubKey key) {
        if (!peer.matches(key)) {
            throw new IllegalArgumentException("key does not belong to " + peer);
        }
        loop.run(() -> entry(peer).publicKey = key);
    }

    @Override
    public Optional<PubKey> publicKey(PeerId peer) {
        return loop.call(() -> Optional.ofNullable(peers.get(peer)).map(e -> e.publicKey)
                .or(peer::extractPublicKey));
    }

    @Override
    public void setAgentVersion(PeerId peer, String agentVersion) {
        loop.run(() -> entry(peer).agentVersion = agentVersion);
    }

    @Override
    public Optional<String> agentVersion(PeerId peer) {
        return loop.call(() -> Optional.ofNullable(peers.get(peer)).map(e -> e.agentVersion));
    }

    @Override
    public void setProtocolVersion(PeerId peer, String protocolVersion) {
        loop.run(() -> entry(peer).protocolVersion = protocolVersion);
    }

    @Override
    public Optional<String> protocolVersion(PeerId peer) {
        return loop.call(() -> Optional.ofNullable(peers.get(peer)).map(e -> e.protocolVersion));
    }

    @Override
    public void recordLatency(PeerId peer, Duration rtt) {
        loop.run(() -> {
            Entry e = entry(peer);
            // Exponentially weighted moving average, weight 1/8 for the new sample.
            e.latency = e.latency == null ? rtt : e.latency.multipliedBy(7).plus(rtt).dividedBy(8);
        });
    }

    @Override
    public Optional<Duration> latency(PeerId peer) {
        return loop.call(() -> Optional.ofNullable(peers.get(peer)).map(e -> e.latency));
    }

    @Override
    public void addObservedAddress(Multiaddr address, PeerId reporter) {
        Multiaddr key = address.withoutPeerId();
        loop.run(() -> {
            if (!observed.containsKey(key) && observed.size() >= MAX_OBSERVED) {
                // Make room by forgetting the least reported address, never the one just reported.
                observed.entrySet().stream().min(Map.Entry.comparingByValue())
                        .ifPresent(min -> observed.remove(min.getKey()));
            }
            observed.merge(key, 1, Integer::sum);
        });
    }

    @Override
    public List<Multiaddr> observedAddresses() {
        return loop.call(() -> observed.entrySet().stream()
                .sorted(Map.Entry.<Multiaddr, Integer>comparingByValue().reversed())
                .map(Map.Entry::getKey).toList());
    }

    @Override
    public void setReachability(Multiaddr address, Reachability value) {
        Multiaddr key = address.withoutPeerId();
        java.util.Objects.requireNonNull(value, "reachability");
        loop.run(() -> {
            if (value == Reachability.UNKNOWN) {
                reachability.remove(key);
                return;
            }
            reachability.put(key, value);
            if (reachability.size() > MAX_REACHABILITY) {
                reachability.remove(reachability.keySet().iterator().next());
            }
        });
    }

    @Override
    public Map<Multiaddr, Reachability> reachability() {
        return loop.call(() -> java.util.Collections.unmodifiableMap(new LinkedHashMap<>(reachability)));
    }

    @Override
    public Set<PeerId> peers() {
        return loop.call(() -> Set.copyOf(peers.keySet()));
    }

    @Override
    public Optional<PeerInfo> peer(PeerId peer) {
        return loop.call(() -> {
            Entry e = peers.get(peer);
            if (e == null) {
                return Optional.<PeerInfo>empty();
            }
            return Optional.of(new PeerInfo(peer, addresses(peer), e.protocols,
                    Optional.ofNullable(e.publicKey), Optional.ofNullable(e.agentVersion),
                    Optional.ofNullable(e.protocolVersion), Optional.ofNullable(e.latency)));
        });
    }
}
