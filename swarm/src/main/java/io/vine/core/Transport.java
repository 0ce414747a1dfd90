package io.vine.core;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoopGroup;
import io.vine.core.multiaddr.Multiaddr;
import java.util.concurrent.CompletableFuture;

/**
 * Opens raw connections: a TCP socket, an in-memory pipe. The swarm upgrades what a transport gives
 * it (security, then a stream muxer). A transport holds no swarm state; it may be shared by swarms.
 */
public interface Transport {

    /** Short name for logs and errors, e.g. "tcp". */
    String name();

    /** Whether {@link #dial} understands this address (a trailing /p2p/... is ignored). */
    boolean canDial(Multiaddr address);

    /** Whether {@link #listen} understands this address. */
    boolean canListen(Multiaddr address);

    /**
     * Connects to {@code address}, which may end in the {@code /p2p} of the peer expected there (a
     * transport that has no use for it ignores it). {@code initializer} is added to the new channel's pipeline before
     * the channel becomes active (a transport whose channels are born active, such as one running over
     * streams, may add it to an active channel: the swarm's initializer then starts at once). The
     * future completes with the connected channel, or fails with a {@link DialException}.
     */
    CompletableFuture<Channel> dial(EventLoopGroup group, Multiaddr address, ChannelHandler initializer);

    /**
     * Binds to {@code address}; every accepted channel gets {@code initializer} in its pipeline before
     * it becomes active. The future completes once bound, with the address actually bound (port 0
     * resolved).
     */
    CompletableFuture<TransportListener> listen(EventLoopGroup group, Multiaddr address, ChannelHandler initializer);

    /**
     * New event loops this transport runs best on, for a swarm that was given none (the swarm shuts
     * them down when it closes); null when it has no preference. The swarm asks its transports in
     * order and takes the first answer, else makes NIO loops, so every transport must run on any
     * Netty I/O group.
     */
    default EventLoopGroup newPreferredGroup() {
        return null;
    }

    /** The multiaddr of the local end of a channel this transport made. */
    Multiaddr localAddress(Channel channel);

    /** The multiaddr of the remote end of a channel this transport made. */
    Multiaddr remoteAddress(Channel channel);
}
