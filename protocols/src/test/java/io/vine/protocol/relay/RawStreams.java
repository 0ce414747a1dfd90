package io.vine.protocol.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.vine.core.Connection;
import io.vine.core.StreamChannel;
import io.vine.core.multiformats.Varint;
import io.vine.protocol.relay.internal.pb.RelayProto;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Writes raw bytes on a new relay stream and collects what comes back until the remote ends it. */
final class RawStreams {
    private RawStreams() {}

    /** Everything the remote sent before it ended the stream. */
    static byte[] exchange(Connection c, String protocol, byte[] request) {
        StreamChannel s = c.newStream(protocol).orTimeout(10, TimeUnit.SECONDS).join();
        CompletableFuture<byte[]> done = new CompletableFuture<>();
        ByteBuf received = Unpooled.buffer();
        s.eventLoop().execute(() -> {
            s.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ByteBuf b = (ByteBuf) msg;
                    received.writeBytes(b);
                    b.release();
                }

                @Override
                public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                    if (evt instanceof ChannelInputShutdownEvent) {
                        finish();
                        ctx.close();
                    }
                }

                @Override
                public void channelInactive(ChannelHandlerContext ctx) {
                    finish();
                }

                private void finish() {
                    if (done.isDone()) {
                        return; // the caller may already have released the buffer
                    }
                    byte[] out = new byte[received.readableBytes()];
                    received.getBytes(received.readerIndex(), out);
                    done.complete(out);
                }
            });
            s.config().setAutoRead(true);
            s.writeAndFlush(Unpooled.wrappedBuffer(request));
        });
        try {
            return done.orTimeout(15, TimeUnit.SECONDS).join();
        } finally {
            received.release();
        }
    }

    static byte[] frame(com.google.protobuf.MessageLite m) {
        byte[] body = m.toByteArray();
        byte[] len = Varint.encode(body.length);
        byte[] out = new byte[len.length + body.length];
        System.arraycopy(len, 0, out, 0, len.length);
        System.arraycopy(body, 0, out, len.length, body.length);
        return out;
    }

    static byte[] body(byte[] framed) {
        ByteBuf b = Unpooled.wrappedBuffer(framed);
        int n = (int) Varint.read(b);
        byte[] out = new byte[n];
        b.readBytes(out);
        return out;
    }

    static RelayProto.HopMessage hop(byte[] framed) throws Exception {
        return RelayProto.HopMessage.parseFrom(body(framed));
    }

    static RelayProto.StopMessage stop(byte[] framed) throws Exception {
        return RelayProto.StopMessage.parseFrom(body(framed));
    }

    static byte[] reserveRequest() {
        return frame(RelayProto.HopMessage.newBuilder().setType(RelayProto.HopMessage.Type.RESERVE).build());
    }
}
