package io.vine.tun.overlay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.vine.core.Protocol;
import io.vine.core.StreamChannel;
import io.vine.core.crypto.PrivKey;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.multiformats.Varint;
import io.vine.swarm.Swarm;
import io.vine.testkit.TestSwarms;
import io.vine.tun.control.ControlCodec;
import io.vine.tun.control.ControlMessage;
import io.vine.tun.session.PacketFrameDecoder;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A hand-driven peer: a plain swarm that writes control messages and packet frames as it is told. */
final class RawPeer implements AutoCloseable {
    final Swarm swarm;
    StreamChannel control;
    StreamChannel packets;

    /** A peer that takes (and ignores) the node's control and packet streams. */
    RawPeer(PrivKey key) {
        this(key, true);
    }

    /** With {@code serveOverlay} false, the node's own streams to this peer cannot open. */
    RawPeer(PrivKey key, boolean serveOverlay) {
        swarm = TestSwarms.memory(b -> {
            b.identity(key);
            if (serveOverlay) {
                b.protocol(new Sink());
            }
        });
    }

    /** Takes the node's own control and packet streams and discards what arrives on them. */
    private static final class Sink implements Protocol {
        @Override
        public List<String> protocolIds() {
            return List.of(ControlCodec.PROTOCOL_ID, PacketFrameDecoder.PROTOCOL_ID);
        }

        @Override
        public void acceptInboundStream(StreamChannel stream, String protocolId) {
            stream.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ReferenceCountUtil.release(msg);
                }
            });
            stream.config().setAutoRead(true);
        }
    }

    void connect(Multiaddr target) {
        swarm.dial(target).orTimeout(10, TimeUnit.SECONDS).join();
        io.vine.core.peer.PeerId peer = target.peerId().orElseThrow();
        control = swarm.newStream(peer, ControlCodec.PROTOCOL_ID).orTimeout(10, TimeUnit.SECONDS).join();
        packets = swarm.newStream(peer, PacketFrameDecoder.PROTOCOL_ID).orTimeout(10, TimeUnit.SECONDS).join();
    }

    void send(ControlMessage m) {
        ByteBuf body = ControlCodec.encode(m, control.alloc());
        ByteBuf frame = Unpooled.buffer();
        Varint.write(frame, body.readableBytes()).writeBytes(body);
        body.release();
        control.writeAndFlush(frame).syncUninterruptibly();
    }

    /** Writes {@code content} as one length-prefixed frame on the packet stream. */
    void packet(byte[] content) {
        ByteBuf frame = Unpooled.buffer();
        Varint.write(frame, content.length).writeBytes(content);
        packets.writeAndFlush(frame).syncUninterruptibly();
    }

    /** Writes raw bytes on the packet stream (a length prefix of the caller's). */
    void raw(ByteBuf bytes) {
        packets.writeAndFlush(bytes).syncUninterruptibly();
    }

    @Override
    public void close() {
        swarm.close();
    }
}
