package io.vine.core;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.vine.core.crypto.PubKey;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.peer.PeerId;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/** An upgraded (secured and muxed) connection to one peer. Thread-safe. */
public interface Connection {

    /** The attribute under which the connection channel carries its {@code Connection}. */
    AttributeKey<Connection> KEY = AttributeKey.valueOf("vine.connection");

    /** A short id, unique in this process, for logs. */
    String id();

    PeerId localPeer();

    PeerId remotePeer();

    PubKey remotePublicKey();

    Multiaddr localAddress();

    Multiaddr remoteAddress();

    Direction direction();

    /** The security protocol id, e.g. "/noise". */
    String security();

    /** The muxer protocol id, e.g. "/yamux/1.0.0". */
    String muxer();

    Instant openedAt();

    /** The underlying (secured) connection channel. */
    Channel channel();

    /** Whether new streams can be opened: the connection is up and neither side has said GoAway. */
    boolean isOpen();

    /** Streams open on this connection. */
    int streamCount();

    /**
     * Opens a stream and negotiates the first of {@code protocolIds} the remote supports. The stream
     * comes back with auto-read off; bytes the remote already sent are held until the application
     * installs its handlers and turns auto-read on or calls {@code read()}. Fails with a
     * {@link io.vine.swarm.multistream.NegotiationException} when the remote supports none.
     */
    CompletableFuture<StreamChannel> newStream(String... protocolIds);

    /** Closes the connection and all its streams. */
    CompletableFuture<Void> close();
}
