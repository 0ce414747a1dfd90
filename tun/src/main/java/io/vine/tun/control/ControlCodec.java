package io.vine.tun.control;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import io.vine.tun.IpPrefix;
import io.vine.tun.control.internal.pb.ControlProto;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashSet;

/** Encodes and decodes {@link ControlMessage}s (one frame's content, without the length prefix). */
public final class ControlCodec {
    public static final String PROTOCOL_ID = "/vine/control/1.0.0";
    /** The largest control message either side accepts. */
    public static final int MAX_MESSAGE_BYTES = 4096;
    /** Capabilities and network id strings are bounded too. */
    static final int MAX_CAPABILITIES = 32;

    private ControlCodec() {}

    /** The message as protobuf bytes in a new buffer from {@code alloc}. */
    public static ByteBuf encode(ControlMessage message, ByteBufAllocator alloc) {
        requireNonNull(message, "message");
        requireNonNull(alloc, "alloc");
        ControlProto.ControlMessage pb = toProto(message);
        ByteBuf out = alloc.buffer(pb.getSerializedSize());
        try (ByteBufOutputStream os = new ByteBufOutputStream(out)) {
            pb.writeTo(os);
        } catch (IOException e) {
            out.release();
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * Decodes the readable bytes of {@code frame} (does not release it).
     *
     * @throws ControlDecoderException saying what is wrong
     */
    public static ControlMessage decode(ByteBuf frame) {
        requireNonNull(frame, "frame");
        if (frame.readableBytes() > MAX_MESSAGE_BYTES) {
            throw new ControlDecoderException("control message: " + frame.readableBytes() + " bytes (expected: <= "
                    + MAX_MESSAGE_BYTES + ")");
        }
        ControlProto.ControlMessage pb;
        try {
            pb = ControlProto.ControlMessage.parseFrom(new ByteBufInputStream(frame.duplicate()));
        } catch (InvalidProtocolBufferException e) {
            throw new ControlDecoderException("control message: not a valid protobuf (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new ControlDecoderException("control message: " + e.getMessage(), e);
        }
        return switch (pb.getBodyCase()) {
            case HELLO -> hello(pb.getHello());
            case ANNOUNCE -> new ControlMessage.Announce(prefix(pb.getAnnounce()), pb.getAnnounce().getEpoch());
            case WITHDRAW -> new ControlMessage.Withdraw(prefix(pb.getWithdraw()), pb.getWithdraw().getEpoch());
            case KEEPALIVE -> new ControlMessage.Keepalive(pb.getKeepalive().getSequence());
            case PING -> new ControlMessage.Ping(pb.getPing().getNonce());
            case PONG -> new ControlMessage.Pong(pb.getPong().getNonce());
            case BODY_NOT_SET -> throw new ControlDecoderException("control message: no body (expected: one of hello, "
                    + "announce, withdraw, keepalive, ping, pong)");
        };
    }

    private static ControlMessage.Hello hello(ControlProto.Hello h) {
        if (h.getNetworkId().isEmpty()) {
            throw new ControlDecoderException("hello.network_id: empty (expected: the overlay's network id)");
        }
        if (h.getCapabilitiesCount() > MAX_CAPABILITIES) {
            throw new ControlDecoderException("hello.capabilities: " + h.getCapabilitiesCount() + " (expected: <= "
                    + MAX_CAPABILITIES + ")");
        }
        return new ControlMessage.Hello(h.getNetworkId(), h.getVersion(), new HashSet<>(h.getCapabilitiesList()));
    }

    private static IpPrefix prefix(ControlProto.Route r) {
        int size = r.getAddress().size();
        if (size != 4 && size != 16) {
            throw new ControlDecoderException("route.address: " + size + " bytes (expected: 4 or 16)");
        }
        int max = size * 8;
        if (r.getLength() > max) {
            throw new ControlDecoderException("route.length: " + Integer.toUnsignedString(r.getLength())
                    + " (expected: 0.." + max + ")");
        }
        try {
            return new IpPrefix(InetAddress.getByAddress(r.getAddress().toByteArray()), r.getLength()).network();
        } catch (UnknownHostException e) {
            throw new ControlDecoderException("route.address: " + e.getMessage(), e);
        }
    }

    private static ControlProto.ControlMessage toProto(ControlMessage message) {
        ControlProto.ControlMessage.Builder b = ControlProto.ControlMessage.newBuilder();
        switch (message) {
            case ControlMessage.Hello h -> b.setHello(ControlProto.Hello.newBuilder()
                    .setNetworkId(h.networkId()).setVersion(h.version()).addAllCapabilities(h.capabilities().stream().sorted().toList()));
            case ControlMessage.Announce a -> b.setAnnounce(route(a.prefix(), a.epoch()));
            case ControlMessage.Withdraw w -> b.setWithdraw(route(w.prefix(), w.epoch()));
            case ControlMessage.Keepalive k -> b.setKeepalive(ControlProto.Keepalive.newBuilder().setSequence(k.sequence()));
            case ControlMessage.Ping p -> b.setPing(ControlProto.DiagPing.newBuilder().setNonce(p.nonce()));
            case ControlMessage.Pong p -> b.setPong(ControlProto.DiagPong.newBuilder().setNonce(p.nonce()));
        }
        return b.build();
    }

    private static ControlProto.Route route(IpPrefix prefix, long epoch) {
        return ControlProto.Route.newBuilder()
                .setAddress(ByteString.copyFrom(prefix.address().getAddress()))
                .setLength(prefix.length())
                .setEpoch(epoch)
                .build();
    }
}
