package io.vine.muxer.yamux;

import static java.util.Objects.requireNonNull;

import io.netty.channel.Channel;
import io.vine.core.MuxedSession;
import io.vine.core.StreamChannel;
import io.vine.core.StreamMuxer;
import java.util.function.Consumer;

/**
 * The yamux stream muxer, {@value #PROTOCOL_ID}. Each stream is a {@link StreamChannel}, a child channel
 * of the connection with its own pipeline; flow control follows what the application reads.
 *
 * <pre>{@code
 * StreamMuxer muxer = new Yamux(YamuxConfig.builder().maxStreams(256).build());
 * }</pre>
 */
public final class Yamux implements StreamMuxer {

    /** The multistream-select protocol id. */
    public static final String PROTOCOL_ID = "/yamux/1.0.0";

    private final YamuxConfig config;

    /** A muxer with {@link YamuxConfig#DEFAULT}. */
    public Yamux() {
        this(YamuxConfig.DEFAULT);
    }

    public Yamux(YamuxConfig config) {
        this.config = requireNonNull(config, "config");
    }

    public YamuxConfig config() {
        return config;
    }

    @Override
    public String protocolId() {
        return PROTOCOL_ID;
    }

    @Override
    public MuxedSession start(Channel channel, boolean initiator, Consumer<StreamChannel> inbound) {
        requireNonNull(channel, "channel");
        requireNonNull(inbound, "inbound");
        YamuxSession session = new YamuxSession(channel, initiator, config, inbound);
        channel.pipeline().addLast(new YamuxFrameDecoder(config.maxWindow()), session);
        return session;
    }

    @Override
    public String toString() {
        return "Yamux(" + config + ")";
    }
}
