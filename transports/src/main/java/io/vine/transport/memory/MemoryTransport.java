package io.vine.transport.memory;

import static java.util.Objects.requireNonNull;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.vine.core.DialException;
import io.vine.core.Transport;
import io.vine.core.TransportListener;
import io.vine.core.VineException;
import io.vine.core.multiaddr.Multiaddr;
import java.util.concurrent.CompletableFuture;

/**
 * The in-memory transport: {@code /memory/<n>} ({@code n} an unsigned 64-bit number) names a
 * listener in this process; {@code /memory/0} picks a free number. Connections are Netty
 * {@link LocalChannel}s: no sockets, no kernel, deterministic and fast, for tests and for nodes
 * embedded in one process. The local end of a dialed connection gets a number of its own, so both
 * ends have a {@code /memory/<n>} address.
 *
 * <p>Local channels run only on event loops of {@link LocalIoHandler}. When the group passed to
 * {@link #dial} or {@link #listen} is not one (a swarm's NIO or epoll loops), the channels run on
 * one shared group of this class instead: daemon threads named {@code vine-memory-*}, created on
 * first use and never shut down. The swarm does not depend on which loop a connection runs on.
 *
 * <p>Local channels have no half-close, and a writer is not slowed by a reader that does not read:
 * use the muxer's flow control for back-pressure. Stateless and thread-safe.
 */
public final class MemoryTransport implements Transport {

    /** Holds the shared group, made on first use. */
    private static final class Shared {
        static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(
                Math.max(2, Runtime.getRuntime().availableProcessors()),
                new DefaultThreadFactory("vine-memory", true), LocalIoHandler.newFactory());
    }

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public boolean canDial(Multiaddr address) {
        return MemoryAddresses.matches(requireNonNull(address, "address"));
    }

    @Override
    public boolean canListen(Multiaddr address) {
        return MemoryAddresses.matches(requireNonNull(address, "address"));
    }

    /** The group local channels run on: {@code given} when it can host them, else the shared one. */
    static EventLoopGroup groupFor(EventLoopGroup given) {
        if (given instanceof IoEventLoopGroup io && io.isIoType(LocalIoHandler.class)) {
            return given;
        }
        return Shared.GROUP;
    }

    @Override
    public CompletableFuture<Channel> dial(EventLoopGroup group, Multiaddr address, ChannelHandler initializer) {
        requireNonNull(group, "group");
        requireNonNull(address, "address");
        requireNonNull(initializer, "initializer");
        if (!canDial(address)) {
            return CompletableFuture.failedFuture(new DialException("memory cannot dial " + address));
        }
        long remote = MemoryAddresses.number(address);
        long local = MemoryAddresses.take(0);
        ChannelFuture f = new Bootstrap()
                .group(groupFor(group))
                .channel(LocalChannel.class)
                .handler(initializer)
                .connect(MemoryAddresses.local(remote), MemoryAddresses.local(local));
        f.channel().closeFuture().addListener(x -> MemoryAddresses.release(local));
        CompletableFuture<Channel> result = new CompletableFuture<>();
        f.addListener(x -> {
            if (f.isSuccess()) {
                result.complete(f.channel());
            } else {
                f.channel().close();
                result.completeExceptionally(new DialException("dial " + address + " failed: "
                        + (f.cause().getMessage() == null ? f.cause().toString() : f.cause().getMessage()), f.cause()));
            }
        });
        return result;
    }

    @Override
    public CompletableFuture<TransportListener> listen(EventLoopGroup group, Multiaddr address, ChannelHandler initializer) {
        requireNonNull(group, "group");
        requireNonNull(address, "address");
        requireNonNull(initializer, "initializer");
        if (!canListen(address)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("memory cannot listen on " + address));
        }
        long number;
        try {
            number = MemoryAddresses.take(MemoryAddresses.number(address));
        } catch (IllegalStateException e) {
            return CompletableFuture.failedFuture(new VineException("listen " + address + " failed: " + e.getMessage()));
        }
        EventLoopGroup loops = groupFor(group);
        ChannelFuture f = new ServerBootstrap()
                .group(loops)
                .channel(LocalServerChannel.class)
                .childHandler(initializer)
                .bind(MemoryAddresses.local(number));
        f.channel().closeFuture().addListener(x -> MemoryAddresses.release(number));
        CompletableFuture<TransportListener> result = new CompletableFuture<>();
        f.addListener(x -> {
            if (f.isSuccess()) {
                result.complete(new MemoryListener(f.channel(), number));
            } else {
                f.channel().close();
                result.completeExceptionally(new VineException("listen " + address + " failed: " + f.cause(), f.cause()));
            }
        });
        return result;
    }

    @Override
    public Multiaddr localAddress(Channel channel) {
        return MemoryAddresses.multiaddr(requireNonNull(channel, "channel").localAddress());
    }

    @Override
    public Multiaddr remoteAddress(Channel channel) {
        return MemoryAddresses.multiaddr(requireNonNull(channel, "channel").remoteAddress());
    }

    @Override
    public String toString() {
        return "MemoryTransport";
    }
}
