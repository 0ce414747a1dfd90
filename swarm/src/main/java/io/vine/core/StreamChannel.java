package io.vine.core;

import io.netty.channel.ChannelFuture;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.AttributeKey;

/**
 * One muxed stream: a Netty child channel of the connection channel ({@link #parent()}). Reads and
 * writes {@code ByteBuf}s. {@link #shutdownOutput()} half-closes (yamux FIN); {@link #reset()} aborts
 * both directions. When the remote half-closes, the pipeline sees {@code ChannelInputShutdownEvent}
 * and the stream stays open for writing. Inbound data is read only as the application asks for it
 * (auto-read or {@link #read()}), and the muxer's flow-control window follows what was read.
 */
public interface StreamChannel extends DuplexChannel {

    /** The negotiated protocol id, set once multistream-select has agreed on one. */
    AttributeKey<String> PROTOCOL = AttributeKey.valueOf("vine.stream.protocol");

    /** The muxer's id of this stream. */
    long streamId();

    /** Whether this side opened the stream. */
    Direction direction();

    /** Aborts the stream in both directions (yamux RST); pending writes fail. */
    ChannelFuture reset();

    /**
     * Aborts {@code channel}: a stream is reset (the remote learns it failed), any other channel
     * (a test's embedded channel, a raw connection) is closed.
     */
    static void abort(io.netty.channel.Channel channel) {
        if (channel instanceof StreamChannel stream) {
            stream.reset();
        } else {
            channel.close();
        }
    }

    /** The protocol agreed on this stream, or null while negotiation runs. */
    default String protocol() {
        return attr(PROTOCOL).get();
    }

    /** The connection this stream belongs to. */
    default Connection connection() {
        return parent().attr(Connection.KEY).get();
    }
}
