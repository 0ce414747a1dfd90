package io.vine.tun.overlay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.vine.core.StreamChannel;
import io.vine.core.multiformats.Varint;
import io.vine.core.peer.PeerId;
import io.vine.tun.IpPacket;
import io.vine.tun.MalformedPacketException;
import io.vine.tun.TunDevice;
import io.vine.tun.TunException;
import io.vine.tun.VirtioNetHeader;
import io.vine.tun.route.Route;
import io.vine.tun.session.PacketFrameDecoder;
import io.vine.tun.session.PathKind;
import java.util.Optional;

/**
 * The packet path. Out: TUN frame -> parse -> longest-prefix route -> owner's preferred path -> its
 * packet stream, or a counted drop. A stream that is not writable drops the packet (counted as
 * {@link DropReason#BACKPRESSURE}) instead of queueing it: IP tolerates loss, and the TUN reader never
 * blocks nor buffers without bound. In: frame -> sender admitted -> parse -> source in the sender's
 * prefix, destination in ours -> TUN write, or a counted drop.
 *
 * <p>A frame is either a plain IP packet (first nibble 4 or 6) or, only between two nodes that both
 * offload, a virtio-net header (first byte: flags, below 0x10) followed by a possibly segmented
 * superpacket. A superpacket for a peer without offload is dropped ({@link DropReason#OVERSIZED}): no
 * software segmentation yet.
 */
final class PacketPlane {
    private final Overlay overlay;
    private final int mtu;
    private final boolean offload;

    PacketPlane(Overlay overlay) {
        this.overlay = overlay;
        this.mtu = overlay.config.mtu();
        this.offload = overlay.config.offload();
    }

    int maxFrame() {
        return offload ? TunDevice.MAX_OFFLOAD_FRAME : mtu;
    }

    /** Opens this side's packet stream on {@code path}. */
    void open(Path path) {
        path.connection.newStream(PacketFrameDecoder.PROTOCOL_ID).whenComplete((stream, error) -> {
            if (error != null) {
                overlay.executor().execute(() -> overlay.sessionLogic.failed(path, "packet stream: " + error.getMessage()));
                return;
            }
            stream.eventLoop().execute(() -> {
                stream.pipeline().addLast(new ControlPlane.Discard());
                stream.config().setAutoRead(true);
                stream.closeFuture().addListener(f -> overlay.executor().execute(() ->
                        overlay.session(path.connection.remotePeer()).ifPresent(overlay.sessionLogic::update)));
                overlay.executor().execute(() -> {
                    path.packets = stream;
                    overlay.session(path.connection.remotePeer()).ifPresent(overlay.sessionLogic::update);
                });
            });
        });
    }

    /** Reads the peer's packet stream. On the stream's event loop. */
    void accept(StreamChannel stream) {
        PeerId from = stream.connection().remotePeer();
        stream.pipeline().addLast(new PacketFrameDecoder(maxFrame(),
                len -> overlay.counters.drop(len == 0 ? DropReason.MALFORMED : DropReason.OVERSIZED)),
                new SimpleChannelInboundHandler<ByteBuf>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
                        receive(from, frame);
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        overlay.counters.drop(DropReason.MALFORMED);
                        ctx.close();
                    }
                });
        stream.config().setAutoRead(true);
    }

    /** Sends one frame read from the TUN device; does not release it. Empty when sent, else why it was dropped. */
    Optional<DropReason> send(ByteBuf frame) {
        ByteBuf ip = frame;
        VirtioNetHeader header = null;
        int start = frame.readerIndex();
        if (offload) {
            if (frame.readableBytes() <= VirtioNetHeader.LENGTH) {
                return drop(DropReason.MALFORMED);
            }
            header = VirtioNetHeader.decode(frame.nioBuffer(), 0);
            ip = frame.slice(start + VirtioNetHeader.LENGTH, frame.readableBytes() - VirtioNetHeader.LENGTH);
        }
        IpPacket packet;
        try {
            packet = IpPacket.parse(ip.nioBuffer());
        } catch (MalformedPacketException e) {
            return drop(DropReason.MALFORMED);
        }
        Optional<Route> route = overlay.routes.lookup(packet.destination());
        if (route.isEmpty() || route.get().owner().equals(overlay.self)) {
            overlay.counters.routeMisses.increment();
            return drop(DropReason.UNKNOWN_ROUTE);
        }
        PeerSession s = overlay.sessions.get(route.get().owner());
        Path p = s == null ? null : s.preferred;
        StreamChannel stream = p == null ? null : p.packets;
        if (stream == null) {
            return drop(DropReason.NO_SESSION);
        }
        ByteBuf payload;
        if (header != null && p.offload) {
            payload = frame;
        } else if (header != null && header.isGso()) {
            return drop(DropReason.OVERSIZED);
        } else {
            payload = ip;
        }
        if (!stream.isWritable()) {
            return drop(DropReason.BACKPRESSURE);
        }
        int length = payload.readableBytes();
        ByteBuf prefix = stream.alloc().buffer(Varint.encodedLength(length));
        PacketFrameDecoder.writePrefix(prefix, length);
        CompositeByteBuf out = stream.alloc().compositeBuffer(2).addComponents(true, prefix, payload.retainedSlice());
        stream.writeAndFlush(out, stream.voidPromise());
        overlay.counters.packetsSent.increment();
        overlay.counters.bytesSent.add(ip.readableBytes());
        if (p.kind == PathKind.RELAY) {
            overlay.counters.relayUsage.increment();
        }
        return Optional.empty();
    }

    /** Checks and writes to the TUN device one frame from {@code from}; does not release it. */
    Optional<DropReason> receive(PeerId from, ByteBuf frame) {
        PeerSession s = overlay.sessions.get(from);
        if (s == null || !s.admitted) {
            return drop(DropReason.UNAUTHORIZED_PEER);
        }
        int n = frame.readableBytes();
        boolean hasHeader = n > 0 && (frame.getByte(frame.readerIndex()) & 0xF0) == 0;
        ByteBuf ip = frame;
        if (hasHeader) {
            if (!offload || n <= VirtioNetHeader.LENGTH) {
                return drop(DropReason.MALFORMED);
            }
            ip = frame.slice(frame.readerIndex() + VirtioNetHeader.LENGTH, n - VirtioNetHeader.LENGTH);
        } else if (n > mtu) {
            return drop(DropReason.OVERSIZED);
        }
        IpPacket packet;
        try {
            packet = IpPacket.parse(ip.nioBuffer());
        } catch (MalformedPacketException e) {
            return drop(DropReason.MALFORMED);
        }
        if (!s.entry.prefix().contains(packet.source())) {
            return drop(DropReason.SPOOFED_SOURCE);
        }
        if (!overlay.config.localPrefix().contains(packet.destination())) {
            return drop(DropReason.FOREIGN_DESTINATION);
        }
        TunDevice device = overlay.device;
        if (device == null) {
            return drop(DropReason.TUN_WRITE);
        }
        try {
            if (offload && !hasHeader) {
                ByteBuf withHeader = frame.alloc().buffer(VirtioNetHeader.LENGTH + n);
                try {
                    withHeader.writeZero(VirtioNetHeader.LENGTH).writeBytes(frame, frame.readerIndex(), n);
                    device.write(withHeader);
                } finally {
                    withHeader.release();
                }
            } else {
                device.write(frame);
            }
        } catch (TunException | IllegalArgumentException e) {
            return drop(DropReason.TUN_WRITE);
        }
        overlay.counters.packetsReceived.increment();
        overlay.counters.bytesReceived.add(ip.readableBytes());
        return Optional.empty();
    }

    private Optional<DropReason> drop(DropReason reason) {
        overlay.counters.drop(reason);
        return Optional.of(reason);
    }
}
