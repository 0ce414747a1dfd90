package io.vine.tun.overlay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.util.ReferenceCountUtil;
import io.vine.core.Connection;
import io.vine.core.StreamChannel;
import io.vine.core.codec.VarintFrameDecoder;
import io.vine.core.multiformats.Varint;
import io.vine.tun.control.ControlCodec;
import io.vine.tun.control.ControlMessage;
import io.vine.tun.route.Route;
import io.vine.tun.route.RouteUpdate;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import io.vine.core.peer.PeerId;

/**
 * The control protocol on each path: this side's stream carries its hello, announces, withdraws,
 * keepalives, pings and pongs; the peer's stream is read and its messages applied on the event loop.
 * A peer with another network id or version, a hello missing, a route claim outside its allowlisted
 * prefix, or a malformed message, is refused: event, counter, connection closed.
 */
final class ControlPlane {
    private final Overlay overlay;
    private final Map<Long, PendingPing> pings = new ConcurrentHashMap<>();
    private long keepaliveSequence;

    private record PendingPing(CompletableFuture<Duration> future, long sentAt) {}

    ControlPlane(Overlay overlay) {
        this.overlay = overlay;
    }

    /** Opens this side's control stream on {@code path}, then sends hello and the local announce. */
    void open(Path path) {
        path.connection.newStream(ControlCodec.PROTOCOL_ID).whenComplete((stream, error) -> {
            if (error != null) {
                overlay.executor().execute(() -> overlay.sessionLogic.failed(path, "control stream: " + error.getMessage()));
                return;
            }
            stream.eventLoop().execute(() -> {
                stream.pipeline().addLast(new Discard());
                stream.config().setAutoRead(true);
                overlay.executor().execute(() -> {
                    path.control = stream;
                    send(path, hello());
                    if (overlay.announcing) {
                        send(path, new ControlMessage.Announce(overlay.config.localPrefix(), overlay.localEpoch));
                    }
                });
            });
        });
    }

    ControlMessage.Hello hello() {
        Set<String> caps = new HashSet<>();
        if (overlay.config.offload()) {
            caps.add(ControlMessage.CAP_OFFLOAD);
        }
        if (overlay.config.relay()) {
            caps.add(ControlMessage.CAP_RELAY);
        }
        return new ControlMessage.Hello(overlay.config.networkId(), VineConfig.PROTOCOL_VERSION, caps);
    }

    /** Reads the peer's control stream. On the stream's event loop. */
    void accept(StreamChannel stream) {
        Connection c = stream.connection();
        stream.pipeline().addLast(new VarintFrameDecoder(ControlCodec.MAX_MESSAGE_BYTES), new SimpleChannelInboundHandler<ByteBuf>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
                ControlMessage m = ControlCodec.decode(frame);
                overlay.executor().execute(() -> onMessage(c, m));
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close();
                overlay.executor().execute(() -> {
                    Path p = overlay.pathFor(c);
                    if (p != null) {
                        refuse(p, "malformed control message: " + cause.getMessage());
                    }
                });
            }
        });
        stream.config().setAutoRead(true);
    }

    /** Applies one message of the peer's; on the event loop. */
    void onMessage(Connection c, ControlMessage m) {
        Path p = overlay.pathFor(c);
        if (p == null || p.refused) {
            return;
        }
        p.lastHeard = System.nanoTime();
        if (p.hello == null && !(m instanceof ControlMessage.Hello)) {
            refuse(p, "sent " + m.getClass().getSimpleName() + " before hello (expected: hello first)");
            return;
        }
        PeerSession s = overlay.sessions.get(c.remotePeer());
        switch (m) {
            case ControlMessage.Hello h -> onHello(p, s, h);
            case ControlMessage.Announce a -> onRoute(p, s, a.prefix(), a.epoch(), true);
            case ControlMessage.Withdraw w -> onRoute(p, s, w.prefix(), w.epoch(), false);
            case ControlMessage.Keepalive k -> { }
            case ControlMessage.Ping ping -> send(p, new ControlMessage.Pong(ping.nonce()));
            case ControlMessage.Pong pong -> {
                PendingPing pending = pings.remove(pong.nonce());
                if (pending != null) {
                    pending.future.complete(Duration.ofNanos(System.nanoTime() - pending.sentAt));
                }
            }
        }
    }

    private void onHello(Path p, PeerSession s, ControlMessage.Hello h) {
        if (!h.networkId().equals(overlay.config.networkId())) {
            refuse(p, "network id '" + h.networkId() + "' (expected: '" + overlay.config.networkId() + "')");
            return;
        }
        if (h.version() != VineConfig.PROTOCOL_VERSION) {
            refuse(p, "control version " + h.version() + " (expected: " + VineConfig.PROTOCOL_VERSION + ")");
            return;
        }
        if (p.hello != null) {
            return;
        }
        p.hello = h;
        s.refusedFor = null;
        p.offload = overlay.config.offload() && h.capabilities().contains(ControlMessage.CAP_OFFLOAD);
        if (!s.admitted) {
            s.admitted = true;
        }
        overlay.emit(new VineEvent.PeerAdmitted(s.peer(), p.kind));
        overlay.sessionLogic.update(s);
    }

    private void onRoute(Path p, PeerSession s, io.vine.tun.IpPrefix prefix, long epoch, boolean announce) {
        if (!s.entry.owns(prefix)) {
            refuse(p, (announce ? "claims " : "withdraws ") + prefix + " but the allowlist gives it " + s.entry.prefix());
            return;
        }
        RouteUpdate r = announce ? overlay.routes.announce(prefix, s.peer(), epoch) : overlay.routes.withdraw(prefix, s.peer(), epoch);
        if (r == RouteUpdate.STALE) {
            overlay.counters.staleUpdates.increment();
        }
        if (r != RouteUpdate.UNCHANGED) {
            overlay.emit(new VineEvent.RouteChanged(s.peer(), new Route(prefix, s.peer(), epoch), r));
        }
    }

    void refuse(Path p, String reason) {
        if (p.refused) {
            return;
        }
        p.refused = true;
        overlay.session(p.connection.remotePeer()).ifPresent(s -> s.refusedFor = reason);
        overlay.counters.refusedPeers.increment();
        overlay.emit(new VineEvent.PeerRefused(p.connection.remotePeer(), reason));
        p.connection.close();
    }

    /** Writes {@code m} on this side's control stream of {@code p}; false if it is not open. */
    boolean send(Path p, ControlMessage m) {
        StreamChannel stream = p.control;
        if (stream == null || !stream.isActive()) {
            return false;
        }
        ByteBuf body = ControlCodec.encode(m, stream.alloc());
        ByteBuf frame = stream.alloc().buffer(Varint.MAX_LENGTH + body.readableBytes());
        Varint.write(frame, body.readableBytes()).writeBytes(body);
        body.release();
        stream.writeAndFlush(frame, stream.voidPromise());
        return true;
    }

    /** Sends a keepalive on every path and closes paths that heard nothing for the timeout. On the event loop. */
    void tick() {
        long now = System.nanoTime();
        long timeout = overlay.config.keepaliveTimeout().toNanos();
        ControlMessage k = new ControlMessage.Keepalive(++keepaliveSequence);
        for (Path p : overlay.paths.values()) {
            if (now - p.lastHeard > timeout) {
                overlay.sessionLogic.failed(p, "heard nothing for " + overlay.config.keepaliveTimeout());
            } else {
                send(p, k);
            }
        }
    }

    /** Sends {@code m} on every path (announces and withdraws of the local route). */
    void broadcast(ControlMessage m) {
        overlay.paths.values().forEach(p -> send(p, m));
    }

    CompletableFuture<Duration> ping(PeerId peer, Duration timeout) {
        PeerSession s = overlay.sessions.get(peer);
        Path p = s == null ? null : s.preferred;
        if (p == null) {
            return CompletableFuture.failedFuture(new OverlayException("ping " + peer + ": no ready session"));
        }
        long nonce = ThreadLocalRandom.current().nextLong();
        CompletableFuture<Duration> f = new CompletableFuture<>();
        pings.put(nonce, new PendingPing(f, System.nanoTime()));
        overlay.executor().execute(() -> {
            if (!send(p, new ControlMessage.Ping(nonce))) {
                pings.remove(nonce);
                f.completeExceptionally(new OverlayException("ping " + peer + ": control stream closed"));
            }
        });
        return f.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((d, e) -> pings.remove(nonce));
    }

    /** Releases whatever arrives on this side's own stream (the peer should write nothing there). */
    static final class Discard extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
