package io.vine.tun.overlay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
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
 * packet stream, or a counted drop. The TUN reader ({@link TunReader}: a thread, or an event loop)
 * routes and frames packets and hands them to the streams' event loops in batches ({@link PacketBatch});
 * there a stream that is not writable drops the packet (counted as {@link DropReason#BACKPRESSURE})
 * instead of queueing it: IP tolerates loss, and one slow peer does not hold up packets to the others.
 * In: frame -> sender admitted -> parse -> source in the sender's prefix, destination in ours -> TUN
 * write, or a counted drop.
 *
 * <p>A frame is either a plain IP packet (first nibble 4 or 6) or, only between two nodes that both
 * offload, a virtio-net header (first byte: flags, below 0x10) followed by a possibly segmented
 * superpacket. A superpacket for a peer without offload is dropped ({@link DropReason#OVERSIZED}): no
 * software segmentation yet.
 */
final class PacketPlane {
    /** Bytes a TUN read buffer keeps free in front of the frame for the length prefix (a varint). */
    static final int HEADROOM = 5;
    /**
     * Outbound bytes the packet stream queues before it reports unwritable (and packets drop): the
     * default 64 KiB is one superpacket with offloads, so a single one made the next drop. Bounds
     * memory per peer and the queueing delay (about 2 ms at 2 Gbit/s).
     */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(256 * 1024, 512 * 1024);
    /** A frame leaving more than this much of its read buffer unused is copied rather than handed on. */
    private static final int COPY_BELOW_SLACK = 16 * 1024;

    private final Overlay overlay;
    private final int mtu;
    private final boolean offload;

    PacketPlane(Overlay overlay) {
        this.overlay = overlay;
        this.mtu = overlay.config.mtu();
        this.offload = overlay.config.offload();
    }

    Counters counters() {
        return overlay.counters;
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
                stream.config().setWriteBufferWaterMark(WATER_MARK);
                stream.config().setAutoRead(true);
                stream.closeFuture().addListener(f -> {
                    try {
                        overlay.executor().execute(() ->
                                overlay.session(path.connection.remotePeer()).ifPresent(overlay.sessionLogic::update));
                    } catch (java.util.concurrent.RejectedExecutionException e) {
                        // the node stopped: no session to update
                    }
                });
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

    /**
     * Routes one frame the TUN reader read into {@code buf} (at a reader index of at least
     * {@link #HEADROOM}) and adds it, framed, to {@code batch}: the length prefix goes into the headroom
     * in front of the payload, so a packet travels as one buffer. A frame much smaller than its buffer
     * (an ACK read into a superpacket-sized buffer) is copied into a buffer of its size instead, so
     * queued packets do not pin large buffers. Returns null when added (then {@code buf} belongs to the
     * batch if {@link PacketBatch#holds} says so, else it is still the caller's), else why it was dropped
     * (counted; {@code buf} still the caller's).
     */
    DropReason route(ByteBuf buf, PacketBatch batch) {
        ByteBuf ip = buf;
        VirtioNetHeader header = null;
        int start = buf.readerIndex();
        if (start < HEADROOM) {
            throw new IllegalArgumentException("readerIndex: " + start + " (expected: >= " + HEADROOM + ")");
        }
        if (offload) {
            if (buf.readableBytes() <= VirtioNetHeader.LENGTH) {
                return dropped(DropReason.MALFORMED);
            }
            header = VirtioNetHeader.decode(buf.nioBuffer(), 0);
            ip = buf.slice(start + VirtioNetHeader.LENGTH, buf.readableBytes() - VirtioNetHeader.LENGTH);
        }
        IpPacket packet;
        try {
            packet = IpPacket.parse(ip.nioBuffer());
        } catch (MalformedPacketException e) {
            return dropped(DropReason.MALFORMED);
        }
        Optional<Route> route = overlay.routes.lookup(packet.destination());
        if (route.isEmpty() || route.get().owner().equals(overlay.self)) {
            overlay.counters.routeMisses.increment();
            return dropped(DropReason.UNKNOWN_ROUTE);
        }
        PeerSession s = overlay.sessions.get(route.get().owner());
        Path p = s == null ? null : s.preferred;
        StreamChannel stream = p == null ? null : p.packets;
        if (stream == null) {
            return dropped(DropReason.NO_SESSION);
        }
        int from;
        if (header != null && p.offload) {
            from = start;
        } else if (header != null && header.isGso()) {
            return dropped(DropReason.OVERSIZED);
        } else {
            from = ip == buf ? start : start + VirtioNetHeader.LENGTH;
        }
        int end = buf.writerIndex();
        int length = end - from;
        int prefix = Varint.encodedLength(length);
        boolean relay = p.kind == PathKind.RELAY;
        int ipLength = ip.readableBytes();
        if (buf.capacity() - length > COPY_BELOW_SLACK) {
            ByteBuf out = stream.alloc().directBuffer(prefix + length);
            PacketFrameDecoder.writePrefix(out, length).writeBytes(buf, from, length);
            batch.add(stream, out, ipLength, relay);
            return null;
        }
        buf.setIndex(from - prefix, from - prefix);
        PacketFrameDecoder.writePrefix(buf, length);
        buf.writerIndex(end);
        batch.add(stream, buf, ipLength, relay);
        return null;
    }

    /**
     * Sends one frame (not from the reader; no headroom needed) on its own: routes a copy, drops it if
     * the stream is not writable now, else writes and flushes it on the stream's event loop. Does not
     * release {@code frame}. Empty when handed to the stream, else why it was dropped (counted).
     */
    Optional<DropReason> send(ByteBuf frame) {
        ByteBuf buf = frame.alloc().directBuffer(HEADROOM + frame.readableBytes());
        buf.setIndex(HEADROOM, HEADROOM).writeBytes(frame, frame.readerIndex(), frame.readableBytes());
        PacketBatch batch = new PacketBatch(overlay.counters, 1, null);
        DropReason dropped;
        try {
            dropped = route(buf, batch);
        } finally {
            if (!batch.holds(buf)) {
                buf.release();
            }
        }
        if (dropped != null) {
            return Optional.of(dropped);
        }
        return batch.sendNow() ? Optional.empty() : Optional.of(DropReason.BACKPRESSURE);
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

    private DropReason dropped(DropReason reason) {
        overlay.counters.drop(reason);
        return reason;
    }

    private Optional<DropReason> drop(DropReason reason) {
        overlay.counters.drop(reason);
        return Optional.of(reason);
    }
}
