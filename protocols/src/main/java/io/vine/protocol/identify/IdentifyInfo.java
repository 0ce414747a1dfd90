package io.vine.protocol.identify;

import static java.util.Objects.requireNonNull;

import io.vine.core.crypto.PubKey;
import io.vine.core.multiaddr.Multiaddr;
import java.util.List;
import java.util.Optional;

/**
 * What a peer told us about itself in identify.
 *
 * @param publicKey the peer's public key, checked against its peer id
 * @param listenAddrs the addresses the peer listens on (malformed ones dropped), without /p2p
 * @param observedAddr the address of this node as the peer sees it, when it said
 * @param protocols the protocol ids the peer accepts inbound streams on
 * @param agentVersion the peer's implementation, e.g. {@code vine/0.1.0}; empty when not sent
 * @param protocolVersion the protocol family, e.g. {@code ipfs/0.1.0}; empty when not sent
 */
public record IdentifyInfo(
        PubKey publicKey,
        List<Multiaddr> listenAddrs,
        Optional<Multiaddr> observedAddr,
        List<String> protocols,
        String agentVersion,
        String protocolVersion) {

    public IdentifyInfo {
        requireNonNull(publicKey, "publicKey");
        listenAddrs = List.copyOf(listenAddrs);
        requireNonNull(observedAddr, "observedAddr");
        protocols = List.copyOf(protocols);
        requireNonNull(agentVersion, "agentVersion");
        requireNonNull(protocolVersion, "protocolVersion");
    }
}
