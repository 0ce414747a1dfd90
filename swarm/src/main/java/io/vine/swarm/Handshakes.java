package io.vine.swarm;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.vine.core.ConnectionException;
import io.vine.core.ConnectionGater;
import io.vine.core.DialException;
import io.vine.core.Direction;
import io.vine.core.LimitExceededException;
import io.vine.core.SwarmEvent;
import io.vine.core.Transport;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.peer.PeerId;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Brings raw connections, dialed or accepted, through the upgrade and into the registry. The upgrade
 * starts in {@code channelActive}, before the first byte can be read.
 */
final class Handshakes {
    private final SwarmLoop loop;
    private final EventLoopGroup io;
    private final Upgrader upgrader;
    private final StreamOpener opener;
    private final ConnectionRegistry registry;
    private final ConnectionGater gater;
    private final EventBus events;
    private final SwarmLimits limits;
    private final AtomicInteger pendingInbound = new AtomicInteger();
    final LongAdder started = new LongAdder();
    final LongAdder completed = new LongAdder();
    final LongAdder failed = new LongAdder();

    Handshakes(SwarmLoop loop, EventLoopGroup io, Upgrader upgrader, StreamOpener opener,
            ConnectionRegistry registry, ConnectionGater gater, EventBus events, SwarmLimits limits) {
        this.loop = loop;
        this.io = io;
        this.upgrader = upgrader;
        this.opener = opener;
        this.registry = registry;
        this.gater = gater;
        this.events = events;
        this.limits = limits;
    }

    /**
     * Dials {@code address} and upgrades in the role {@code role} (OUTBOUND normally; INBOUND for the
     * side of a TCP simultaneous open that answers the handshakes); completes on the swarm loop.
     */
    CompletableFuture<ConnectionImpl> dial(Transport transport, Multiaddr address, Optional<PeerId> expected,
            Direction role) {
        CompletableFuture<ConnectionImpl> result = new CompletableFuture<>();
        ChannelHandler starter = new UpgradeStarter(transport, role, expected, result);
        transport.dial(io, address, starter).whenComplete((ch, e) -> {
            if (e != null) {
                Throwable cause = Futures.unwrap(e);
                result.completeExceptionally(cause instanceof ConnectionException ? cause
                        : new DialException("dial " + address + " failed: " + cause.getMessage(), cause));
            }
        });
        return result;
    }

    /** The handler a listener puts on every accepted channel. */
    ChannelHandler acceptor(Transport transport) {
        return new Acceptor(transport);
    }

    @ChannelHandler.Sharable
    private final class Acceptor extends ChannelInboundHandlerAdapter {
        private final Transport transport;

        Acceptor(Transport transport) {
            this.transport = transport;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            // A transport over streams (a relayed connection) hands over channels that are already active.
            if (ctx.channel().isActive()) {
                accept(ctx);
            }
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            accept(ctx);
            ctx.fireChannelActive();
        }

        private void accept(ChannelHandlerContext ctx) {
            Multiaddr remote = transport.remoteAddress(ctx.channel());
            ctx.pipeline().remove(this);
            if (!gater.allowAccept(remote)) {
                ctx.close();
                events.publish(new SwarmEvent.InboundFailed(remote, new ConnectionException("refused by the connection gater")));
                return;
            }
            if (pendingInbound.incrementAndGet() > limits.maxPendingInbound()) {
                pendingInbound.decrementAndGet();
                ctx.close();
                events.publish(new SwarmEvent.InboundFailed(remote, new LimitExceededException(
                        "inbound handshakes: limit " + limits.maxPendingInbound() + " reached")));
                return;
            }
            CompletableFuture<ConnectionImpl> result = new CompletableFuture<>();
            result.whenComplete((c, e) -> {
                pendingInbound.decrementAndGet();
                if (e != null) {
                    events.publish(new SwarmEvent.InboundFailed(remote, Futures.unwrap(e)));
                }
            });
            start(ctx.channel(), transport, Direction.INBOUND, Direction.INBOUND, Optional.empty(), result);
        }
    }

    private final class UpgradeStarter extends ChannelInboundHandlerAdapter {
        private final Transport transport;
        private final Direction direction;
        private final Optional<PeerId> expected;
        private final CompletableFuture<ConnectionImpl> result;

        UpgradeStarter(Transport transport, Direction direction, Optional<PeerId> expected,
                CompletableFuture<ConnectionImpl> result) {
            this.transport = transport;
            this.direction = direction;
            this.expected = expected;
            this.result = result;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            if (ctx.channel().isActive()) {
                ctx.pipeline().remove(this);
                start(ctx.channel(), transport, Direction.OUTBOUND, direction, expected, result);
            }
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.pipeline().remove(this);
            start(ctx.channel(), transport, Direction.OUTBOUND, direction, expected, result);
            ctx.fireChannelActive();
        }
    }

    /** {@code direction}: who dialed; {@code role}: who leads the handshakes (differs in a simultaneous open). */
    private void start(Channel raw, Transport transport, Direction direction, Direction role, Optional<PeerId> expected,
            CompletableFuture<ConnectionImpl> result) {
        Multiaddr local = transport.localAddress(raw);
        Multiaddr remote = transport.remoteAddress(raw);
        Upgrader.SecuredCheck check = (dir, peer) -> {
            if (!gater.allowSecured(dir, peer, remote)) {
                throw new ConnectionException("peer " + peer + " refused by the connection gater");
            }
        };
        started.increment();
        upgrader.upgrade(raw, role, expected, check, opener::acceptInbound).whenComplete((up, e) -> {
            if (e != null) {
                failed.increment();
                result.completeExceptionally(Futures.unwrap(e));
                return;
            }
            ConnectionImpl c = new ConnectionImpl(up, local, remote, direction, opener);
            loop.run(() -> {
                try {
                    registry.add(c);
                    completed.increment();
                    result.complete(c);
                } catch (RuntimeException ex) {
                    failed.increment();
                    result.completeExceptionally(ex);
                }
            });
        });
    }
}
