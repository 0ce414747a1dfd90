package io.vine.protocol.identify;

import com.google.protobuf.ByteString;
import io.vine.core.crypto.KeyFormatException;
import io.vine.core.crypto.Keys;
import io.vine.core.crypto.PubKey;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.multiaddr.MultiaddrFormatException;
import io.vine.core.peer.PeerId;
import io.vine.protocol.identify.internal.pb.IdentifyProto;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Builds the {@code Identify} message this node sends and validates the ones it receives.
 *
 * <p>Bounds. go-libp2p reads messages of up to 8 KiB (its limit for messages carrying a signed peer
 * record) and sends at most 4 KiB, because rust-libp2p refuses anything larger than 4096 bytes. vine
 * does the same: it accepts {@value #MAX_MESSAGE_BYTES} bytes per message and keeps its own under
 * {@value #MAX_OWN_MESSAGE_BYTES}, dropping listen addresses, then protocols, from the end until the
 * message fits. A sender may split its information over several messages (go sends a large signed
 * record in a second one); vine merges at most {@value #MAX_MESSAGES}. Of the merged lists it keeps
 * the first {@value #MAX_LISTEN_ADDRS} addresses and {@value #MAX_PROTOCOLS} protocol ids.
 */
final class IdentifyCodec {
    static final String PROTOCOL_VERSION = "ipfs/0.1.0";
    static final int MAX_MESSAGE_BYTES = 8 * 1024;
    static final int MAX_OWN_MESSAGE_BYTES = 4 * 1024;
    static final int MAX_MESSAGES = 4;
    static final int MAX_LISTEN_ADDRS = 128;
    static final int MAX_PROTOCOLS = 256;
    /** multistream-select refuses longer protocol ids, so a longer one cannot be spoken anyway. */
    static final int MAX_PROTOCOL_ID_LENGTH = 1024;

    private IdentifyCodec() {}

    /** This node's message; {@code observed} is the remote's address as this node sees it, if any. */
    static IdentifyProto.Identify encode(PubKey key, List<Multiaddr> listenAddrs, Multiaddr observed,
            List<String> protocols, String agentVersion) {
        List<Multiaddr> addrs = new ArrayList<>(listenAddrs);
        List<String> ids = new ArrayList<>(protocols);
        while (true) {
            IdentifyProto.Identify.Builder b = IdentifyProto.Identify.newBuilder()
                    .setProtocolVersion(PROTOCOL_VERSION)
                    .setAgentVersion(agentVersion)
                    .setPublicKey(ByteString.copyFrom(key.marshal()));
            addrs.forEach(a -> b.addListenAddrs(ByteString.copyFrom(a.toBytes())));
            if (observed != null) {
                b.setObservedAddr(ByteString.copyFrom(observed.toBytes()));
            }
            b.addAllProtocols(ids);
            IdentifyProto.Identify message = b.build();
            if (message.getSerializedSize() <= MAX_OWN_MESSAGE_BYTES) {
                return message;
            }
            if (!addrs.isEmpty()) {
                addrs.removeLast();
            } else if (!ids.isEmpty()) {
                ids.removeLast();
            } else {
                throw new IllegalStateException("identify message of " + message.getSerializedSize()
                        + " bytes without addresses or protocols (expected: <= " + MAX_OWN_MESSAGE_BYTES + ")");
            }
        }
    }

    /**
     * Validates a received (possibly merged) message from {@code remote}. Malformed addresses and
     * over-long protocol ids are skipped; a key that is not {@code remote}'s fails the whole message.
     *
     * @throws IdentifyException if the public key is malformed or belongs to another peer
     */
    static IdentifyUpdate decode(IdentifyProto.Identify m, PeerId remote) {
        Optional<PubKey> key = Optional.empty();
        if (m.hasPublicKey()) {
            PubKey k;
            try {
                k = Keys.unmarshalPublicKey(m.getPublicKey().toByteArray());
            } catch (KeyFormatException e) {
                throw new IdentifyException("identify from " + remote + ": malformed public key: " + e.getMessage(), e);
            }
            if (!remote.matches(k)) {
                throw new IdentifyException("identify from " + remote + ": public key of "
                        + PeerId.fromPublicKey(k) + " (expected: the key of " + remote + ")");
            }
            key = Optional.of(k);
        }
        List<Multiaddr> addrs = new ArrayList<>();
        for (ByteString bytes : m.getListenAddrsList()) {
            if (addrs.size() == MAX_LISTEN_ADDRS) {
                break;
            }
            multiaddr(bytes).ifPresent(addrs::add);
        }
        Set<String> protocols = new LinkedHashSet<>();
        for (String id : m.getProtocolsList()) {
            if (protocols.size() == MAX_PROTOCOLS) {
                break;
            }
            if (!id.isEmpty() && id.length() <= MAX_PROTOCOL_ID_LENGTH) {
                protocols.add(id);
            }
        }
        return new IdentifyUpdate(
                key,
                m.getListenAddrsCount() == 0 ? Optional.empty() : Optional.of(List.copyOf(addrs)),
                m.hasObservedAddr() ? multiaddr(m.getObservedAddr()) : Optional.empty(),
                m.getProtocolsCount() == 0 ? Optional.empty() : Optional.of(List.copyOf(protocols)),
                m.hasAgentVersion() ? Optional.of(m.getAgentVersion()) : Optional.empty(),
                m.hasProtocolVersion() ? Optional.of(m.getProtocolVersion()) : Optional.empty());
    }

    private static Optional<Multiaddr> multiaddr(ByteString bytes) {
        try {
            return Optional.of(Multiaddr.fromBytes(bytes.toByteArray()).withoutPeerId());
        } catch (MultiaddrFormatException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
