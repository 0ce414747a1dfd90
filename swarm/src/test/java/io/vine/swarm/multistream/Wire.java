package io.vine.swarm.multistream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;

/** Helpers to move bytes between two EmbeddedChannels and to build multistream messages by hand. */
final class Wire {
    private Wire() {}

    /** Moves outbound bytes of each channel to the other until both are quiet. */
    static void pump(EmbeddedChannel a, EmbeddedChannel b, boolean byteByByte) {
        boolean moved;
        do {
            moved = transfer(a, b, byteByByte) | transfer(b, a, byteByByte);
        } while (moved);
    }

    private static boolean transfer(EmbeddedChannel from, EmbeddedChannel to, boolean byteByByte) {
        boolean moved = false;
        for (Object o; (o = from.readOutbound()) != null; ) {
            moved = true;
            ByteBuf buf = (ByteBuf) o;
            if (!to.isOpen()) {
                buf.release();
                continue;
            }
            if (byteByByte) {
                while (buf.isReadable()) {
                    to.writeInbound(buf.readRetainedSlice(1));
                }
                buf.release();
            } else {
                to.writeInbound(buf);
            }
        }
        return moved;
    }

    /** Drains all outbound bytes of {@code ch} into one buffer (the caller releases it). */
    static ByteBuf drain(EmbeddedChannel ch) {
        ByteBuf all = Unpooled.buffer();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            ByteBuf buf = (ByteBuf) o;
            all.writeBytes(buf);
            buf.release();
        }
        return all;
    }

    /** Builds a buffer of multistream messages. */
    static ByteBuf messages(String... lines) {
        ByteBuf out = Unpooled.buffer();
        for (String line : lines) {
            Messages.write(out, line);
        }
        return out;
    }

    static ByteBuf text(ByteBuf buf, String text) {
        return buf.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }
}
