package io.vine.security;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Two {@link EmbeddedChannel}s joined by a test-driven wire: {@link #pump()} moves what each side
 * wrote to the other side's inbound until both are quiet. Deterministic, single-threaded.
 */
public final class ChannelPair implements AutoCloseable {
    public final EmbeddedChannel initiator = new EmbeddedChannel();
    public final EmbeddedChannel responder = new EmbeddedChannel();

    /** Moves bytes both ways until neither side writes more. */
    public void pump() {
        while (transfer(initiator, responder) + transfer(responder, initiator) > 0) {
            // keep going
        }
    }

    /** Moves every buffer {@code from} wrote to {@code to}, one read per buffer. Returns the count. */
    public static int transfer(EmbeddedChannel from, EmbeddedChannel to) {
        return transfer(from, to, UnaryOperator.identity());
    }

    /** Like {@link #transfer(EmbeddedChannel, EmbeddedChannel)}, passing each buffer through {@code tamper}. */
    public static int transfer(EmbeddedChannel from, EmbeddedChannel to, UnaryOperator<ByteBuf> tamper) {
        int n = 0;
        for (ByteBuf b : drain(from)) {
            n++;
            deliver(to, tamper.apply(b));
        }
        return n;
    }

    /** Moves everything {@code from} wrote to {@code to} as one buffer (one read). Returns its size. */
    public static int transferMerged(EmbeddedChannel from, EmbeddedChannel to) {
        ByteBuf all = Unpooled.buffer();
        for (ByteBuf b : drain(from)) {
            all.writeBytes(b);
            b.release();
        }
        int size = all.readableBytes();
        deliver(to, all);
        return size;
    }

    /** The buffers {@code ch} wrote, in order; the caller owns (and must release) them. */
    public static List<ByteBuf> drain(EmbeddedChannel ch) {
        List<ByteBuf> out = new ArrayList<>();
        Object m;
        while ((m = ch.readOutbound()) != null) {
            out.add((ByteBuf) m);
        }
        return out;
    }

    /** All of {@code ch}'s outbound bytes as one array (released). */
    public static byte[] drainBytes(EmbeddedChannel ch) {
        ByteBuf all = Unpooled.buffer();
        for (ByteBuf b : drain(ch)) {
            all.writeBytes(b);
            b.release();
        }
        byte[] bytes = new byte[all.readableBytes()];
        all.readBytes(bytes);
        all.release();
        return bytes;
    }

    /** Delivers {@code b} to {@code to}, or releases it when {@code to} is closed. */
    public static void deliver(EmbeddedChannel to, ByteBuf b) {
        if (to.isOpen()) {
            to.writeInbound(b);
        } else {
            ReferenceCountUtil.release(b);
        }
    }

    /** Everything that reached {@code ch}'s tail, concatenated (released). */
    public static byte[] readInboundBytes(EmbeddedChannel ch) {
        ByteBuf all = Unpooled.buffer();
        Object m;
        while ((m = ch.readInbound()) != null) {
            ByteBuf b = (ByteBuf) m;
            all.writeBytes(b);
            b.release();
        }
        byte[] bytes = new byte[all.readableBytes()];
        all.readBytes(bytes);
        all.release();
        return bytes;
    }

    @Override
    public void close() {
        initiator.finishAndReleaseAll();
        responder.finishAndReleaseAll();
    }
}
