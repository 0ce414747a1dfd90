package io.vine.protocol.autonat;

import com.google.protobuf.ByteString;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.multiformats.Varint;
import io.vine.protocol.autonat.internal.pb.AutoNatProto;
import java.util.List;

/** Builds and reads AutoNAT frames in tests. */
final class Frames {
    private Frames() {}

    static ByteBuf frame(com.google.protobuf.MessageLite m) {
        return Messages.frame(ByteBufAllocator.DEFAULT, m);
    }

    static ByteBuf raw(byte[] payload) {
        ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
        Varint.write(out, payload.length);
        return out.writeBytes(payload);
    }

    static AutoNatProto.Message request(long nonce, List<Multiaddr> addrs) {
        AutoNatProto.DialRequest.Builder r = AutoNatProto.DialRequest.newBuilder().setNonce(nonce);
        addrs.forEach(a -> r.addAddrs(ByteString.copyFrom(a.toBytes())));
        return AutoNatProto.Message.newBuilder().setDialRequest(r).build();
    }

    static AutoNatProto.Message data(int bytes) {
        return AutoNatProto.Message.newBuilder().setDialDataResponse(
                AutoNatProto.DialDataResponse.newBuilder().setData(ByteString.copyFrom(new byte[bytes]))).build();
    }

    /** The next message {@code channel} wrote (without its length prefix), or null. */
    static AutoNatProto.Message readMessage(EmbeddedChannel channel) {
        ByteBuf out = channel.readOutbound();
        if (out == null) {
            return null;
        }
        try {
            long length = Varint.read(out);
            if (length != out.readableBytes()) {
                throw new AssertionError("frame length " + length + " but " + out.readableBytes() + " bytes");
            }
            return Messages.parseMessage(out);
        } finally {
            out.release();
        }
    }
}
