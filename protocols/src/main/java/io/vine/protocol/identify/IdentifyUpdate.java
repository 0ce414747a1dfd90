package io.vine.protocol.identify;

import io.vine.core.crypto.PubKey;
import io.vine.core.multiaddr.Multiaddr;
import java.util.List;
import java.util.Optional;

/**
 * A received and validated {@code Identify} message, each field empty when the message did not carry
 * it (repeated fields: when the list on the wire was empty), as push updates are partial.
 */
record IdentifyUpdate(
        Optional<PubKey> publicKey,
        Optional<List<Multiaddr>> listenAddrs,
        Optional<Multiaddr> observedAddr,
        Optional<List<String>> protocols,
        Optional<String> agentVersion,
        Optional<String> protocolVersion) {

    /** The full information of an identify answer; {@code connectionKey} stands in for a missing key. */
    IdentifyInfo toInfo(PubKey connectionKey) {
        return new IdentifyInfo(
                publicKey.orElse(connectionKey),
                listenAddrs.orElse(List.of()),
                observedAddr,
                protocols.orElse(List.of()),
                agentVersion.orElse(""),
                protocolVersion.orElse(""));
    }

    /** {@code previous} with the fields this (push) update carries replaced. */
    IdentifyInfo applyTo(IdentifyInfo previous) {
        return new IdentifyInfo(
                publicKey.orElse(previous.publicKey()),
                listenAddrs.orElse(previous.listenAddrs()),
                observedAddr.or(previous::observedAddr),
                protocols.orElse(previous.protocols()),
                agentVersion.orElse(previous.agentVersion()),
                protocolVersion.orElse(previous.protocolVersion()));
    }
}
