package io.vine.swarm;

import static java.util.Objects.requireNonNull;

import io.netty.channel.Channel;
import io.vine.core.Connection;
import io.vine.core.Direction;
import io.vine.core.MuxedSession;
import io.vine.core.StreamChannel;
import io.vine.core.crypto.PubKey;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.peer.PeerId;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/** An upgraded connection: the secured channel, its muxer, and what the handshake proved. */
final class ConnectionImpl implements Connection {
    private static final AtomicLong IDS = new AtomicLong();

    private final String id = "c" + IDS.incrementAndGet();
    private final Upgrader.Upgraded upgraded;
    private final Multiaddr localAddress;
    private final Multiaddr remoteAddress;
    private final Direction direction;
    private final Instant openedAt = Instant.now();
    private final StreamOpener opener;

    ConnectionImpl(Upgrader.Upgraded upgraded, Multiaddr localAddress, Multiaddr remoteAddress,
            Direction direction, StreamOpener opener) {
        this.upgraded = upgraded;
        this.localAddress = localAddress;
        this.remoteAddress = remoteAddress;
        this.direction = direction;
        this.opener = opener;
        upgraded.channel().attr(Connection.KEY).set(this);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public PeerId localPeer() {
        return upgraded.session().localPeer();
    }

    @Override
    public PeerId remotePeer() {
        return upgraded.session().remotePeer();
    }

    @Override
    public PubKey remotePublicKey() {
        return upgraded.session().remoteKey();
    }

    @Override
    public Multiaddr localAddress() {
        return localAddress;
    }

    @Override
    public Multiaddr remoteAddress() {
        return remoteAddress;
    }

    @Override
    public Direction direction() {
        return direction;
    }

    @Override
    public String security() {
        return upgraded.security();
    }

    @Override
    public String muxer() {
        return upgraded.muxer();
    }

    @Override
    public Instant openedAt() {
        return openedAt;
    }

    @Override
    public Channel channel() {
        return upgraded.channel();
    }

    MuxedSession muxed() {
        return upgraded.muxed();
    }

    /** Open for new streams: the channel is up and neither side has said GoAway. */
    @Override
    public boolean isOpen() {
        return upgraded.channel().isActive() && upgraded.muxed().acceptsStreams();
    }

    @Override
    public int streamCount() {
        return upgraded.muxed().streamCount();
    }

    @Override
    public CompletableFuture<StreamChannel> newStream(String... protocolIds) {
        requireNonNull(protocolIds, "protocolIds");
        if (protocolIds.length == 0) {
            throw new IllegalArgumentException("protocolIds: empty (expected: at least one)");
        }
        return opener.open(this, protocolIds);
    }

    @Override
    public CompletableFuture<Void> close() {
        return upgraded.muxed().close().handle((v, e) -> null)
                .thenCompose(v -> Futures.toCompletable(upgraded.channel().close()));
    }

    @Override
    public String toString() {
        return id + "(" + direction.name().toLowerCase() + " " + remotePeer() + " at " + remoteAddress + ")";
    }
}
