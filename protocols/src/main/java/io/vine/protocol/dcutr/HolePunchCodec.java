package io.vine.protocol.dcutr;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.MessageToByteEncoder;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.handler.codec.TooLongFrameException;
import io.vine.core.codec.VarintFrameDecoder;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.protocol.dcutr.internal.pb.DcutrProto;
import java.util.ArrayList;
import java.util.List;

/**
 * DCUtR framing: an unsigned varint length, then a {@code HolePunch} protobuf of at most
 * {@link #MAX_MESSAGE_BYTES}. Decoding fails with {@link MalformedHolePunchException} (a too long
 * frame: {@link TooLongFrameException}); addresses that do not parse are dropped, at most
 * {@link #MAX_ADDRESSES} are kept.
 */
final class HolePunchCodec {
    /** The spec's bound on an encoded message (length prefix excluded). */
    static final int MAX_MESSAGE_BYTES = 4096;
    /** Addresses taken from one CONNECT. */
    static final int MAX_ADDRESSES = 16;

    private HolePunchCodec() {}

    /** Adds the frame decoder, message decoder and encoder to a stream pipeline, before its handler. */
    static void install(ChannelPipeline p) {
        p.addLast(new VarintFrameDecoder(MAX_MESSAGE_BYTES), new Decoder(), new Encoder());
    }

    static HolePunchMessage decode(ByteBuf frame) {
        DcutrProto.HolePunch m;
        try {
            m = DcutrProto.HolePunch.parseFrom(ByteBufUtil.getBytes(frame));
        } catch (InvalidProtocolBufferException e) {
            throw new MalformedHolePunchException("dcutr message: not a HolePunch protobuf (" + e.getMessage() + ")", e);
        }
        if (!m.hasType()) {
            throw new MalformedHolePunchException("dcutr message: no type or an unknown type (expected: CONNECT or SYNC)");
        }
        HolePunchMessage.Type type = m.getType() == DcutrProto.HolePunch.Type.CONNECT
                ? HolePunchMessage.Type.CONNECT : HolePunchMessage.Type.SYNC;
        List<Multiaddr> addresses = new ArrayList<>();
        for (ByteString raw : m.getObsAddrsList()) {
            if (addresses.size() == MAX_ADDRESSES) {
                break;
            }
            try {
                addresses.add(Multiaddr.fromBytes(raw.toByteArray()));
            } catch (RuntimeException e) {
                // An address this node cannot read is one it cannot dial: skip it.
            }
        }
        return new HolePunchMessage(type, addresses);
    }

    static byte[] encode(HolePunchMessage message) {
        DcutrProto.HolePunch.Builder b = DcutrProto.HolePunch.newBuilder()
                .setType(message.type() == HolePunchMessage.Type.CONNECT
                        ? DcutrProto.HolePunch.Type.CONNECT : DcutrProto.HolePunch.Type.SYNC);
        int size = 0;
        for (Multiaddr a : message.addresses()) {
            byte[] bytes = a.toBytes();
            size += bytes.length + 3;
            if (size > MAX_MESSAGE_BYTES - 8) {
                break;
            }
            b.addObsAddrs(ByteString.copyFrom(bytes));
        }
        return b.build().toByteArray();
    }

    static final class Decoder extends MessageToMessageDecoder<ByteBuf> {
        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
            out.add(HolePunchCodec.decode(frame));
        }
    }

    static final class Encoder extends MessageToByteEncoder<HolePunchMessage> {
        Encoder() {
            super(HolePunchMessage.class);
        }

        @Override
        protected void encode(ChannelHandlerContext ctx, HolePunchMessage msg, ByteBuf out) {
            byte[] body = HolePunchCodec.encode(msg);
            writeVarint(out, body.length);
            out.writeBytes(body);
        }
    }

    static void writeVarint(ByteBuf out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.writeByte((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.writeByte((int) value);
    }
}
