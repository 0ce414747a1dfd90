package io.vine.swarm.multistream;

import static java.util.Objects.requireNonNull;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import java.util.List;
import java.util.function.Predicate;

/**
 * Runs multistream-select 1.0 on a channel: a raw connection, a secured connection or a muxed
 * stream. The handler is added at the end of the pipeline, negotiates, lets the {@link Selection}
 * callback install the chosen protocol's handlers, then leaves the pipeline and passes on any bytes
 * that arrived after the agreement. It works with auto-read on or off (it requests the reads it
 * needs while negotiating). It sets no timeout; add one around it if the peer may stall.
 *
 * <p>Bounds: a message is at most {@value #MAX_MESSAGE_SIZE} bytes (newline included); a listener
 * answers {@code na} to at most {@value #MAX_REJECTIONS} proposals and fails on the next unsupported
 * one.
 */
public final class MultistreamSelect {
    /** The multistream-select 1.0 header. */
    public static final String PROTOCOL_ID = "/multistream/1.0.0";

    /** The largest message accepted or sent, in bytes, counting the newline but not the length prefix. */
    public static final int MAX_MESSAGE_SIZE = 1024;

    /** How many unsupported proposals a listener answers with {@code na} before it gives up. */
    public static final int MAX_REJECTIONS = 32;

    private MultistreamSelect() {}

    /**
     * Adds a dialer-side handler at the end of {@code ch}'s pipeline that proposes {@code protocols}
     * in order. The header and the first proposal are sent together, without waiting for the peer.
     *
     * @throws IllegalArgumentException if {@code protocols} is empty or holds an id that cannot be
     *     sent (empty, with a newline, {@code na}, {@code ls}, or too long)
     */
    public static void initiate(Channel ch, List<String> protocols, Selection callback) {
        initiate(ch, protocols, callback, false);
    }

    /**
     * As {@link #initiate(Channel, List, Selection)}; when {@code holdUntilRead} is true the handler,
     * after the agreement, stays in the pipeline as a pass-through holding the bytes that followed
     * the agreement, until the first outbound {@code read()} reaches it (auto-read turned on, or
     * {@code channel.read()}): it then passes the held bytes on, leaves the pipeline and lets the
     * read through. Use it where auto-read is off until the user's handlers are in place.
     */
    public static void initiate(Channel ch, List<String> protocols, Selection callback, boolean holdUntilRead) {
        requireNonNull(ch, "ch");
        requireNonNull(protocols, "protocols");
        requireNonNull(callback, "callback");
        if (protocols.isEmpty()) {
            throw new IllegalArgumentException("protocols: [] (expected: at least one)");
        }
        List<String> copy = List.copyOf(protocols);
        copy.forEach(p -> Messages.checkProtocolId(p, MAX_MESSAGE_SIZE));
        ch.pipeline().addLast(new DialerHandler(copy, callback, holdUntilRead));
    }

    /**
     * Adds a listener-side handler at the end of {@code ch}'s pipeline; {@code supported} decides,
     * on the channel's event loop, which proposal to accept (the first it accepts is agreed).
     */
    public static void respond(Channel ch, Predicate<String> supported, Selection callback) {
        requireNonNull(ch, "ch");
        requireNonNull(supported, "supported");
        requireNonNull(callback, "callback");
        ch.pipeline().addLast(new ListenerHandler(supported, callback));
    }

    /** What became of a negotiation. Both methods run on the channel's event loop, at most one, once. */
    public interface Selection {
        /**
         * A protocol is agreed. Called BEFORE the multistream handler leaves the pipeline: install
         * the next handlers here (e.g. {@code ctx.pipeline().addLast(...)}); any bytes received past
         * the agreement are then passed to them, in order.
         */
        void selected(ChannelHandlerContext ctx, String protocol);

        /**
         * The negotiation failed: a {@link NegotiationException} (no common protocol; it lists what
         * was refused), a decoder error (malformed, oversized or unexpected message, wrong header),
         * a {@link java.nio.channels.ClosedChannelException}, or a write or pipeline error. The
         * handler closes nothing; the callback decides.
         */
        void failed(ChannelHandlerContext ctx, Throwable cause);
    }
}
