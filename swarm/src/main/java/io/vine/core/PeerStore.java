package io.vine.core;

import io.vine.core.crypto.PubKey;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.peer.PeerId;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a node knows about other peers. Owned by the swarm's event loop; calls from other threads are
 * handed to it (updates asynchronously, reads wait for the answer). Bounded: a configured number of
 * peers and of addresses per peer; the least recently updated are forgotten first.
 */
public interface PeerStore {

    /** Addresses learned from identify, the user or discovery are kept this long by default. */
    Duration DEFAULT_ADDRESS_TTL = Duration.ofHours(1);

    /** Adds addresses (without /p2p) of {@code peer}, each valid for {@code ttl} from now. */
    void addAddresses(PeerId peer, Collection<Multiaddr> addresses, Duration ttl);

    /** Replaces all addresses of {@code peer}. */
    void replaceAddresses(PeerId peer, Collection<Multiaddr> addresses, Duration ttl);

    /** Unexpired addresses of {@code peer}, most recently added first. */
    List<Multiaddr> addresses(PeerId peer);

    void setProtocols(PeerId peer, Collection<String> protocols);

    Set<String> protocols(PeerId peer);

    void setPublicKey(PeerId peer, PubKey key);

    Optional<PubKey> publicKey(PeerId peer);

    void setAgentVersion(PeerId peer, String agentVersion);

    Optional<String> agentVersion(PeerId peer);

    void setProtocolVersion(PeerId peer, String protocolVersion);

    Optional<String> protocolVersion(PeerId peer);

    /** Records a round-trip time; the store keeps a moving average. */
    void recordLatency(PeerId peer, Duration rtt);

    Optional<Duration> latency(PeerId peer);

    /** Records the address {@code reporter} says it sees this node at. */
    void addObservedAddress(Multiaddr observed, PeerId reporter);

    /** Addresses others observed for this node, most reported first. */
    List<Multiaddr> observedAddresses();

    /**
     * Records whether this node is reachable at one of its own addresses (without /p2p), as address
     * discovery found; {@link Reachability#UNKNOWN} forgets the address. Bounded: the oldest entry
     * is forgotten past the limit.
     */
    void setReachability(Multiaddr address, Reachability reachability);

    /** This node's addresses whose reachability is known (never UNKNOWN), in the order first recorded. */
    Map<Multiaddr, Reachability> reachability();

    /** Every peer the store holds anything about. */
    Set<PeerId> peers();

    /** Everything known about {@code peer}, as one immutable value. */
    Optional<PeerInfo> peer(PeerId peer);

    /** A snapshot of one peer's entry. */
    record PeerInfo(
            PeerId peerId,
            List<Multiaddr> addresses,
            Set<String> protocols,
            Optional<PubKey> publicKey,
            Optional<String> agentVersion,
            Optional<String> protocolVersion,
            Optional<Duration> latency) {}
}
