package io.vine.protocol.autonat;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.vine.core.multiformats.Varint;
import io.vine.protocol.autonat.internal.pb.AutoNatProto;

/** Framing and parsing of AutoNAT v2 messages: protobufs prefixed with their length as a varint. */
final class Messages {
    /** The largest message accepted on either stream (a DialDataResponse carries at most 4096 bytes). */
    static final int MAX_MESSAGE_BYTES = 8192;

    private Messages() {}

    static ByteBuf frame(ByteBufAllocator alloc, MessageLite message) {
        int size = message.getSerializedSize();
        ByteBuf out = alloc.buffer(Varint.encodedLength(size) + size);
        Varint.write(out, size);
        byte[] bytes = message.toByteArray();
        return out.writeBytes(bytes);
    }

    /** Parses one dial-request stream message; a message with none of the four set is malformed. */
    static AutoNatProto.Message parseMessage(ByteBuf frame) {
        AutoNatProto.Message m = parse(frame, AutoNatProto.Message.parser(), "autonat message");
        if (m.getMsgCase() == AutoNatProto.Message.MsgCase.MSG_NOT_SET) {
            throw new AutoNatException("autonat message: no message set (expected: one of dialRequest, "
                    + "dialResponse, dialDataRequest, dialDataResponse)");
        }
        return m;
    }

    static AutoNatProto.DialBack parseDialBack(ByteBuf frame) {
        return parse(frame, AutoNatProto.DialBack.parser(), "dial-back");
    }

    static AutoNatProto.DialBackResponse parseDialBackResponse(ByteBuf frame) {
        AutoNatProto.DialBackResponse r = parse(frame, AutoNatProto.DialBackResponse.parser(), "dial-back response");
        if (r.getStatus() != AutoNatProto.DialBackResponse.DialBackStatus.OK) {
            throw new AutoNatException("dial-back response: status " + r.getStatusValue() + " (expected: OK)");
        }
        return r;
    }

    static AutoNatProto.Message dialResponse(AutoNatProto.DialResponse.ResponseStatus status, int addrIdx,
            AutoNatProto.DialStatus dialStatus) {
        return AutoNatProto.Message.newBuilder().setDialResponse(AutoNatProto.DialResponse.newBuilder()
                .setStatus(status).setAddrIdx(addrIdx).setDialStatus(dialStatus)).build();
    }

    static AutoNatProto.Message refusal(AutoNatProto.DialResponse.ResponseStatus status) {
        return dialResponse(status, 0, AutoNatProto.DialStatus.UNUSED);
    }

    private static <T> T parse(ByteBuf frame, com.google.protobuf.Parser<T> parser, String what) {
        byte[] bytes = new byte[frame.readableBytes()];
        frame.readBytes(bytes);
        try {
            return parser.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new AutoNatException(what + ": malformed: " + e.getMessage(), e);
        }
    }
}
