package io.vine.transport.tcp;

import io.netty.bootstrap.AbstractBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.StandardSocketOptions;

/** The socket channel classes and options that suit an event loop group: epoll or NIO. */
final class TcpChannels {
    private TcpChannels() {}

    /** Which I/O implementation a group runs. */
    enum Kind {
        EPOLL, NIO
    }

    static Kind kindOf(EventLoopGroup group) {
        if (group instanceof IoEventLoopGroup io) {
            if (io.isIoType(NioIoHandler.class)) {
                return Kind.NIO;
            }
            if (io.isIoType(EpollIoHandler.class)) {
                return Kind.EPOLL;
            }
        }
        throw new IllegalArgumentException("group: " + group.getClass().getName()
                + " (expected: an event loop group of NioIoHandler or EpollIoHandler)");
    }

    static Class<? extends SocketChannel> socket(Kind kind) {
        return kind == Kind.EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    static Class<? extends ServerChannel> serverSocket(Kind kind) {
        return kind == Kind.EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    static EventLoopGroup newGroup(int threads, String name) {
        if (threads < 0) {
            throw new IllegalArgumentException("threads: " + threads + " (expected: >= 0)");
        }
        IoHandlerFactory factory = Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), factory);
    }

    /**
     * Options of a connected socket, dialed or accepted. Connections (and their muxed streams, which
     * inherit it) allocate from Netty's pooled allocator rather than the adaptive one Netty 4.2 uses by
     * default: through the overlay (iperf3 over TLS with offloads) the pooled one gave 12.0 Gbit/s at
     * 7.5 Gbit per CPU-second of both nodes, the adaptive one 9.4 to 10.0 at 6.0 to 6.3 (the adaptive
     * one kept allocating fresh, zeroed chunks for large buffers); loopback perf was the same with both.
     */
    static void connectionOptions(AbstractBootstrap<?, ?> b, TcpConfig config, Kind kind, boolean child) {
        WriteBufferWaterMark marks = new WriteBufferWaterMark(config.writeBufferLow(), config.writeBufferHigh());
        if (child && b instanceof io.netty.bootstrap.ServerBootstrap sb) {
            sb.childOption(ChannelOption.TCP_NODELAY, true);
            sb.childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, marks);
            sb.childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT);
        } else {
            b.option(ChannelOption.TCP_NODELAY, true);
            b.option(ChannelOption.WRITE_BUFFER_WATER_MARK, marks);
            b.option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT);
            b.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectTimeout().toMillis());
            if (config.reusePort()) {
                b.option(ChannelOption.SO_REUSEADDR, true);
                if (kind == Kind.NIO) {
                    reusePort(b, kind);
                }
                // Epoll's client socket channel has no SO_REUSEPORT option: see reusePortBeforeBind.
            }
        }
    }

    /** Options of a listening socket. */
    static void listenerOptions(AbstractBootstrap<?, ?> b, TcpConfig config, Kind kind) {
        b.option(ChannelOption.SO_REUSEADDR, true);
        if (config.reusePort()) {
            reusePort(b, kind);
        }
    }

    /**
     * Sets {@code SO_REUSEPORT} on an epoll client socket before it binds (its config has no such
     * option); NIO sockets get it from the bootstrap's options.
     */
    static void reusePortBeforeBind(io.netty.channel.Channel ch) {
        if (ch instanceof EpollSocketChannel epoll) {
            try {
                ((io.netty.channel.unix.Socket) epoll.fd()).setReusePort(true);
            } catch (java.io.IOException e) {
                throw new io.netty.channel.ChannelException("SO_REUSEPORT: " + e.getMessage(), e);
            }
        }
    }

    private static void reusePort(AbstractBootstrap<?, ?> b, Kind kind) {
        if (kind == Kind.EPOLL) {
            b.option(EpollChannelOption.SO_REUSEPORT, true);
        } else {
            b.option(NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT), true);
        }
    }
}
