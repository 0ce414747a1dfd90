package io.vine.swarm.multistream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A Selection that records the outcome and, on agreement, installs a handler collecting what follows. */
final class Recorder implements MultistreamSelect.Selection {
    final List<String> selected = new ArrayList<>();
    final List<Throwable> failures = new ArrayList<>();
    final ByteBuf received = Unpooled.buffer();
    int readCompletes;

    @Override
    public void selected(ChannelHandlerContext ctx, String protocol) {
        selected.add(protocol);
        ctx.pipeline().addLast("app", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext c, Object msg) {
                ByteBuf buf = (ByteBuf) msg;
                received.writeBytes(buf);
                buf.release();
            }

            @Override
            public void channelReadComplete(ChannelHandlerContext c) {
                readCompletes++;
            }
        });
    }

    @Override
    public void failed(ChannelHandlerContext ctx, Throwable cause) {
        failures.add(cause);
    }

    String receivedText() {
        return received.toString(StandardCharsets.UTF_8);
    }

    Throwable failure() {
        if (failures.size() != 1) {
            throw new AssertionError("expected exactly one failure, got " + failures + " selected " + selected);
        }
        return failures.get(0);
    }

    void release() {
        received.release();
    }
}
