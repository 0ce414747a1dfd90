package io.vine.transport.tcp;

import static java.util.Objects.requireNonNull;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoopGroup;
import io.netty.resolver.NoopAddressResolverGroup;
import io.vine.core.DialException;
import io.vine.core.Transport;
import io.vine.core.TransportListener;
import io.vine.core.VineException;
import io.vine.core.multiaddr.Multiaddr;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;

/**
 * TCP on Netty: {@code /ip4/<ip>/tcp/<port>}, {@code /ip6/<ip>/tcp/<port>}, and for dialing also
 * {@code /dns/<host>/tcp/<port>}, {@code /dns4/...} and {@code /dns6/...} (names resolved at dial
 * time, off the event loops; the addresses are tried in turn).
 *
 * <p>The initializer given to {@link #dial} is in the pipeline before the channel registers; only when
 * a name resolves to several addresses and an attempt other than the last succeeds does it join the
 * pipeline as the connection becomes active, still before {@code channelActive} reaches it.
 *
 * <p>Runs on the event loop group it is given: epoll sockets on a group of {@code EpollIoHandler}s,
 * NIO sockets on a group of {@code NioIoHandler}s; {@link #defaultGroup} makes the better one this
 * machine offers. Sockets have {@code TCP_NODELAY}, listeners {@code SO_REUSEADDR}, dials a connect
 * timeout; see {@link TcpConfig}. Thread-safe. Without {@code SO_REUSEPORT} it is stateless and one
 * instance may serve many swarms. With it ({@link TcpConfig#reusePort}) the instance remembers its
 * listen addresses and binds every dial to one of them first (same family and scope), so that dials
 * leave from the listening port, as TCP hole punching needs; such an instance serves one swarm. When
 * that bind cannot be used (the same 4-tuple is already connected) the dial falls back to an
 * ephemeral port.
 */
public final class TcpTransport implements Transport {
    private final TcpConfig config;
    private final ReusePorts reusePorts = new ReusePorts();

    /** A transport with {@link TcpConfig#DEFAULT}. */
    public TcpTransport() {
        this(TcpConfig.DEFAULT);
    }

    public TcpTransport(TcpConfig config) {
        this.config = requireNonNull(config, "config");
    }

    /**
     * An event loop group for TCP: epoll when the native library is available on this machine, NIO
     * otherwise. Its threads are daemons; the caller shuts the group down.
     *
     * @param threads the number of event loops; 0 for Netty's default (twice the cores)
     */
    public static EventLoopGroup defaultGroup(int threads) {
        return TcpChannels.newGroup(threads, "vine-tcp");
    }

    /** {@link #defaultGroup}: epoll where the native library loads, else NIO. */
    @Override
    public EventLoopGroup newPreferredGroup() {
        return defaultGroup(0);
    }

    public TcpConfig config() {
        return config;
    }

    @Override
    public String name() {
        return "tcp";
    }

    @Override
    public boolean canDial(Multiaddr address) {
        return TcpAddresses.matches(requireNonNull(address, "address"), true);
    }

    @Override
    public boolean canListen(Multiaddr address) {
        return TcpAddresses.matches(requireNonNull(address, "address"), false);
    }

    @Override
    public CompletableFuture<Channel> dial(EventLoopGroup group, Multiaddr address, ChannelHandler initializer) {
        requireNonNull(group, "group");
        requireNonNull(address, "address");
        requireNonNull(initializer, "initializer");
        if (!canDial(address)) {
            return CompletableFuture.failedFuture(new DialException("tcp cannot dial " + address));
        }
        TcpChannels.Kind kind;
        CompletableFuture<List<InetSocketAddress>> targets;
        try {
            kind = TcpChannels.kindOf(group);
            targets = TcpAddresses.resolve(address);
        } catch (IllegalArgumentException | RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new DialException("dial " + address + " failed: " + e.getMessage(), e));
        }
        CompletableFuture<Channel> result = new CompletableFuture<>();
        targets.whenComplete((list, e) -> {
            if (e != null) {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                result.completeExceptionally(cause instanceof DialException ? cause
                        : new DialException("dial " + address + " failed: " + cause.getMessage(), cause));
            } else {
                connectAny(group, kind, address, initializer, list).whenComplete((ch, err) -> {
                    if (err != null) {
                        result.completeExceptionally(err);
                    } else {
                        result.complete(ch);
                    }
                });
            }
        });
        return result;
    }

    /** Connects to the first of {@code targets} that accepts, in order. */
    CompletableFuture<Channel> connectAny(EventLoopGroup group, TcpChannels.Kind kind, Multiaddr address,
            ChannelHandler initializer, List<InetSocketAddress> targets) {
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(TcpChannels.socket(kind))
                .resolver(NoopAddressResolverGroup.INSTANCE);
        TcpChannels.connectionOptions(b, config, kind, false);
        CompletableFuture<Channel> result = new CompletableFuture<>();
        connect(b, address, initializer, targets.iterator(), result, null);
        return result;
    }

    private void connect(Bootstrap b, Multiaddr address, ChannelHandler initializer, Iterator<InetSocketAddress> targets,
            CompletableFuture<Channel> result, Throwable last) {
        if (!targets.hasNext()) {
            result.completeExceptionally(new DialException("dial " + address + " failed: "
                    + (last == null ? "no address to try" : last.getMessage()), last));
            return;
        }
        InetSocketAddress target = targets.next();
        // Every attempt gets a DialGate that adds the initializer as the connection becomes active, so a
        // failed attempt (or a self-connection) never spends it.
        InetSocketAddress local = config.reusePort() ? reusePorts.bindFor(target) : null;
        if (local != null) {
            connectFrom(b, local, target, initializer).whenComplete((ch, e) -> {
                if (ch != null) {
                    result.complete(ch);
                } else if (e == null) {
                    // The bound attempt could not be made (4-tuple in use, or a self-connection): plain dial.
                    connectOne(b, address, initializer, target, targets, result);
                } else {
                    connect(b, address, initializer, targets, result, e);
                }
            });
        } else {
            connectOne(b, address, initializer, target, targets, result);
        }
    }

    private void connectOne(Bootstrap b, Multiaddr address, ChannelHandler initializer, InetSocketAddress target,
            Iterator<InetSocketAddress> targets, CompletableFuture<Channel> result) {
        DialGate gate = new DialGate(initializer);
        ChannelFuture f = b.clone().handler(gate).connect(target);
        f.addListener(x -> {
            // The promise completes before channelActive, where the gate refuses a self-connection too.
            if (f.isSuccess() && f.channel().localAddress().equals(f.channel().remoteAddress())) {
                f.channel().close();
                connect(b, address, initializer, targets, result,
                        new DialException("dial " + address + ": the socket connected to itself (nothing listens there)"));
            } else if (f.isSuccess()) {
                result.complete(f.channel());
            } else {
                connect(b, address, initializer, targets, result, f.cause());
            }
        });
    }

    /**
     * Connects from {@code local} (a listen address, {@code SO_REUSEPORT}). Completes with the channel,
     * with null when the local address cannot be used for this target, or with the connect failure.
     */
    private CompletableFuture<Channel> connectFrom(Bootstrap b, InetSocketAddress local, InetSocketAddress target,
            ChannelHandler initializer) {
        CompletableFuture<Channel> out = new CompletableFuture<>();
        SelfCheck check = new SelfCheck(initializer);
        ChannelFuture f = b.clone().handler(check).connect(target, local);
        f.addListener(x -> {
            if (f.isSuccess() && !check.self) {
                out.complete(f.channel());
            } else if (f.isSuccess() || isBindProblem(f.cause())) {
                f.channel().close();
                out.complete(null);
            } else {
                out.completeExceptionally(f.cause());
            }
        });
        return out;
    }

    private static boolean isBindProblem(Throwable cause) {
        String m = String.valueOf(cause.getMessage());
        return cause instanceof BindException || m.contains("Address already in use")
                || m.contains("Cannot assign requested address");
    }

    /**
     * Holds the initializer back until the connection is known not to be a self-connection (a socket
     * bound to its own destination), then adds it, before {@code channelActive} reaches it.
     */
    private static final class SelfCheck extends io.netty.channel.ChannelInboundHandlerAdapter {
        private final ChannelHandler initializer;
        boolean self;

        SelfCheck(ChannelHandler initializer) {
            this.initializer = initializer;
        }

        @Override
        public void handlerAdded(io.netty.channel.ChannelHandlerContext ctx) {
            TcpChannels.reusePortBeforeBind(ctx.channel());
        }

        @Override
        public void channelActive(io.netty.channel.ChannelHandlerContext ctx) {
            if (ctx.channel().localAddress().equals(ctx.channel().remoteAddress())) {
                self = true;
                ctx.pipeline().remove(this);
                return;
            }
            ctx.pipeline().addAfter(ctx.name(), null, initializer);
            ctx.pipeline().remove(this);
            ctx.fireChannelActive();
        }
    }

    @Override
    public CompletableFuture<TransportListener> listen(EventLoopGroup group, Multiaddr address, ChannelHandler initializer) {
        requireNonNull(group, "group");
        requireNonNull(address, "address");
        requireNonNull(initializer, "initializer");
        if (!canListen(address)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("tcp cannot listen on " + address));
        }
        TcpChannels.Kind kind;
        try {
            kind = TcpChannels.kindOf(group);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(TcpChannels.serverSocket(kind))
                .childHandler(initializer);
        TcpChannels.listenerOptions(b, config, kind);
        TcpChannels.connectionOptions(b, config, kind, true);
        CompletableFuture<TransportListener> result = new CompletableFuture<>();
        InetSocketAddress requested = TcpAddresses.bindAddress(address);
        ChannelFuture f = b.bind(requested);
        f.addListener(x -> {
            if (f.isSuccess()) {
                if (config.reusePort() && f.channel().localAddress() instanceof InetSocketAddress actual) {
                    // The address asked for, with the port given: a dual-stack socket reports 0.0.0.0 as ::,
                    // which would never match an IPv4 dial.
                    InetSocketAddress bound = new InetSocketAddress(requested.getAddress(), actual.getPort());
                    reusePorts.add(bound);
                    f.channel().closeFuture().addListener(c -> reusePorts.remove(bound));
                }
                result.complete(new TcpListener(f.channel()));
            } else {
                Throwable cause = f.cause();
                String why = cause instanceof BindException ? "cannot bind (" + cause.getMessage() + ")" : cause.toString();
                result.completeExceptionally(new VineException("listen " + address + " failed: " + why, cause));
            }
        });
        return result;
    }

    @Override
    public Multiaddr localAddress(Channel channel) {
        return TcpAddresses.toMultiaddr(requireNonNull(channel, "channel").localAddress());
    }

    @Override
    public Multiaddr remoteAddress(Channel channel) {
        return TcpAddresses.toMultiaddr(requireNonNull(channel, "channel").remoteAddress());
    }

    @Override
    public String toString() {
        return "TcpTransport(" + config + ")";
    }
}
