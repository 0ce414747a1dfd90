package io.vine.tun.overlay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vine.core.StreamChannel;
import io.vine.core.crypto.PrivKey;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.multiformats.Varint;
import io.vine.swarm.Swarm;
import io.vine.testkit.TestSwarms;
import io.vine.tun.control.ControlCodec;
import io.vine.tun.control.ControlMessage;
import io.vine.tun.session.PacketFrameDecoder;
import java.util.concurrent.TimeUnit;

/** A hand-driven peer: a plain swarm that writes control messages and packet frames as it is told. */
final class RawPeer implements AutoCloseable {
    final Swarm swarm;
    StreamChannel control;
    StreamChannel packets;

    RawPeer(PrivKey key) {
        swarm = TestSwarms.memory(b -> b.identity(key));
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
