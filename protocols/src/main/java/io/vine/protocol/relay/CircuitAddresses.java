package io.vine.protocol.relay;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.vine.core.multiaddr.Component;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.multiaddr.MultiaddrProtocol;
import io.vine.core.peer.PeerId;
import java.util.List;
import java.util.Optional;

/**
 * Circuit addresses, {@code <relay address>/p2p/<relay>/p2p-circuit[/p2p/<target>]}, and the
 * addresses a relayed connection carries as channel attributes.
 */
final class CircuitAddresses {
    static final AttributeKey<Multiaddr> LOCAL = AttributeKey.valueOf("vine.relay.local");
    static final AttributeKey<Multiaddr> REMOTE = AttributeKey.valueOf("vine.relay.remote");

    private CircuitAddresses() {}

    /** A circuit address taken apart: the relay's address (with its /p2p) and the target, if named. */
    record Parsed(Multiaddr relayAddress, PeerId relay, Optional<PeerId> target) {
        /** The circuit address without the target: what a relayed connection's ends are known by. */
        Multiaddr circuit() {
            return relayAddress.encapsulate(Multiaddr.of(List.of(Component.of(MultiaddrProtocol.P2P_CIRCUIT))));
        }

        /** Whether the relay part names a transport address besides the relay's id. */
        boolean hasTransportAddress() {
            return relayAddress.components().size() > 1;
        }
    }

    /**
     * Parses {@code address}; empty unless it is exactly one circuit whose relay part ends in /p2p and
     * which ends in /p2p-circuit or /p2p-circuit/p2p/id.
     */
    static Optional<Parsed> parse(Multiaddr address) {
        List<Component> c = address.components();
        int circuit = -1;
        for (int i = 0; i < c.size(); i++) {
            if (c.get(i).protocol() == MultiaddrProtocol.P2P_CIRCUIT) {
                if (circuit >= 0) {
                    return Optional.empty();
                }
                circuit = i;
            }
        }
        if (circuit < 1 || c.get(circuit - 1).protocol() != MultiaddrProtocol.P2P) {
            return Optional.empty();
        }
        int tail = c.size() - circuit - 1;
        if (tail > 1 || (tail == 1 && c.get(circuit + 1).protocol() != MultiaddrProtocol.P2P)) {
            return Optional.empty();
        }
        Multiaddr relayAddress = Multiaddr.of(c.subList(0, circuit));
        Optional<PeerId> relay = relayAddress.peerId();
        if (relay.isEmpty()) {
            return Optional.empty();
        }
        Optional<PeerId> target = tail == 1 ? address.peerId() : Optional.empty();
        return Optional.of(new Parsed(relayAddress, relay.get(), target));
    }

    static void set(Channel channel, Multiaddr local, Multiaddr remote) {
        channel.attr(LOCAL).set(local);
        channel.attr(REMOTE).set(remote);
    }
}
