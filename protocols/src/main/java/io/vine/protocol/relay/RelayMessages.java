package io.vine.protocol.relay;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.multiaddr.MultiaddrProtocol;
import io.vine.core.multiformats.Varint;
import io.vine.core.peer.InvalidPeerIdException;
import io.vine.core.peer.PeerId;
import io.vine.protocol.relay.internal.pb.RelayProto;
import java.time.Duration;

/** Wire helpers shared by the hop and stop sides: framing, parsing, status and limit messages. */
final class RelayMessages {
    static final String HOP = "/libp2p/circuit/relay/0.2.0/hop";
    static final String STOP = "/libp2p/circuit/relay/0.2.0/stop";

    private RelayMessages() {}

    /** {@code message} prefixed with its length as a varint. */
    static ByteBuf frame(ByteBufAllocator alloc, MessageLite message) {
        byte[] bytes = message.toByteArray();
        if (bytes.length > RelayConfig.MAX_MESSAGE_BYTES) {
            throw new IllegalStateException("relay message of " + bytes.length + " bytes (expected: <= "
                    + RelayConfig.MAX_MESSAGE_BYTES + ")");
        }
        ByteBuf out = alloc.buffer(Varint.encodedLength(bytes.length) + bytes.length);
        Varint.write(out, bytes.length);
        return out.writeBytes(bytes);
    }

    static RelayProto.HopMessage parseHop(byte[] bytes) {
        RelayProto.HopMessage m;
        try {
            m = RelayProto.HopMessage.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw malformed("hop message: " + e.getMessage());
        }
        if (!m.hasType()) {
            throw malformed("hop message without a known type");
        }
        return m;
    }

    static RelayProto.StopMessage parseStop(byte[] bytes) {
        RelayProto.StopMessage m;
        try {
            m = RelayProto.StopMessage.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw malformed("stop message: " + e.getMessage());
        }
        if (!m.hasType()) {
            throw malformed("stop message without a known type");
        }
        return m;
    }

    /** The peer id of a {@code Peer} field. */
    static PeerId peerId(boolean present, RelayProto.Peer peer) {
        if (!present || !peer.hasId()) {
            throw malformed("peer: missing (expected: a peer id)");
        }
        try {
            return PeerId.fromBytes(peer.getId().toByteArray());
        } catch (InvalidPeerIdException | IllegalArgumentException e) {
            throw malformed("peer id: " + e.getMessage());
        }
    }

    static RelayProto.Peer peer(PeerId id) {
        return RelayProto.Peer.newBuilder().setId(ByteString.copyFrom(id.toBytes())).build();
    }

    /** The status of a message that must carry one; a missing or unknown one is malformed. */
    static RelayStatus status(boolean present, RelayProto.Status status) {
        if (!present || status == RelayProto.Status.UNUSED) {
            throw malformed("status: missing or unknown");
        }
        return RelayStatus.of(status.getNumber()).orElseThrow(() -> malformed("status: " + status));
    }

    static RelayProto.Status proto(RelayStatus status) {
        return RelayProto.Status.forNumber(status.code());
    }

    static RelayProto.HopMessage hopStatus(RelayStatus status) {
        return RelayProto.HopMessage.newBuilder().setType(RelayProto.HopMessage.Type.STATUS)
                .setStatus(proto(status)).build();
    }

    static RelayProto.StopMessage stopStatus(RelayStatus status) {
        return RelayProto.StopMessage.newBuilder().setType(RelayProto.StopMessage.Type.STATUS)
                .setStatus(proto(status)).build();
    }

    static RelayProto.Limit limit(Duration duration, long bytes) {
        return RelayProto.Limit.newBuilder().setDuration((int) Math.min(duration.toSeconds(), 0xFFFF_FFFFL))
                .setData(bytes).build();
    }

    /** Whether a connection's remote address is itself a circuit (relays do not stack). */
    static boolean relayed(Multiaddr remote) {
        return remote != null && remote.has(MultiaddrProtocol.P2P_CIRCUIT);
    }

    static RelayException malformed(String message) {
        return new RelayException(message, RelayStatus.MALFORMED_MESSAGE);
    }
}
