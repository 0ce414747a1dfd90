package io.vine.tun.control;

import static java.util.Objects.requireNonNull;

import io.vine.tun.IpPrefix;
import java.util.Set;

/** One message of the control protocol; {@link ControlCodec} reads and writes them. */
public sealed interface ControlMessage {

    /** Capability: the sender's packet streams may carry whole offloaded superpackets (virtio-net header first). */
    String CAP_OFFLOAD = "offload";
    /** Capability: the sender may relay for the overlay. */
    String CAP_RELAY = "relay";

    /** The first message on every control stream. */
    record Hello(String networkId, int version, Set<String> capabilities) implements ControlMessage {
        public Hello {
            requireNonNull(networkId, "networkId");
            capabilities = Set.copyOf(capabilities);
        }
    }

    /** The sender owns {@code prefix} as of {@code epoch}. */
    record Announce(IpPrefix prefix, long epoch) implements ControlMessage {
        public Announce {
            prefix = requireNonNull(prefix, "prefix").network();
        }
    }

    /** The sender no longer owns {@code prefix} as of {@code epoch}. */
    record Withdraw(IpPrefix prefix, long epoch) implements ControlMessage {
        public Withdraw {
            prefix = requireNonNull(prefix, "prefix").network();
        }
    }

    /** Proof of life; carries a sequence number for logs. */
    record Keepalive(long sequence) implements ControlMessage {}

    /** A diagnostic ping; the receiver answers with a {@link Pong} carrying the same nonce. */
    record Ping(long nonce) implements ControlMessage {}

    /** The answer to a {@link Ping}. */
    record Pong(long nonce) implements ControlMessage {}
}
