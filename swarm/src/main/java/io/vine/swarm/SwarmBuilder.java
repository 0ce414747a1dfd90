package io.vine.swarm;

import static java.util.Objects.requireNonNull;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.vine.core.ConnectionGater;
import io.vine.core.Protocol;
import io.vine.core.SecurityProtocol;
import io.vine.core.StreamMuxer;
import io.vine.core.Transport;
import io.vine.core.crypto.Keys;
import io.vine.core.crypto.PrivKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Composes a {@link Swarm}. Security protocols and muxers are offered in the order added. */
public final class SwarmBuilder {
    PrivKey key;
    final List<Transport> transports = new ArrayList<>();
    final List<SecurityProtocol> securities = new ArrayList<>();
    final List<StreamMuxer> muxers = new ArrayList<>();
    final List<Protocol> protocols = new ArrayList<>();
    ConnectionGater gater = ConnectionGater.ALLOW_ALL;
    SwarmLimits limits = SwarmLimits.DEFAULT;
    EventLoopGroup io;
    boolean ownsIo;
    EventExecutor swarmExecutor;

    SwarmBuilder() {}

    /** The node's identity; a new Ed25519 key when not set. */
    public SwarmBuilder identity(PrivKey key) {
        this.key = requireNonNull(key, "key");
        return this;
    }

    public SwarmBuilder transport(Transport... transports) {
        for (Transport t : transports) {
            this.transports.add(requireNonNull(t, "transport"));
        }
        return this;
    }

    /** Security protocols, in order of preference. */
    public SwarmBuilder security(SecurityProtocol... securities) {
        for (SecurityProtocol s : securities) {
            this.securities.add(requireNonNull(s, "security"));
        }
        return this;
    }

    /** Stream muxers, in order of preference. */
    public SwarmBuilder muxer(StreamMuxer... muxers) {
        for (StreamMuxer m : muxers) {
            this.muxers.add(requireNonNull(m, "muxer"));
        }
        return this;
    }

    public SwarmBuilder protocol(Protocol... protocols) {
        for (Protocol p : protocols) {
            this.protocols.add(requireNonNull(p, "protocol"));
        }
        return this;
    }

    public SwarmBuilder gater(ConnectionGater gater) {
        this.gater = requireNonNull(gater, "gater");
        return this;
    }

    public SwarmBuilder limits(SwarmLimits limits) {
        this.limits = requireNonNull(limits, "limits");
        return this;
    }

    /**
     * The I/O event loops the connections run on, shared with the caller (who shuts them down). When
     * not set the swarm makes its own and shuts them down on close: those its first transport with a
     * preference asks for ({@link Transport#newPreferredGroup}; TCP: epoll where Linux has it), else
     * NIO loops.
     */
    public SwarmBuilder ioGroup(EventLoopGroup group) {
        return ioGroup(group, false);
    }

    /** The I/O event loops; with {@code shutdownOnClose} the swarm shuts them down when it closes. */
    public SwarmBuilder ioGroup(EventLoopGroup group, boolean shutdownOnClose) {
        this.io = requireNonNull(group, "group");
        this.ownsIo = shutdownOnClose;
        return this;
    }

    public Swarm build() {
        if (transports.isEmpty()) {
            throw new IllegalStateException("transports: none (expected: at least one)");
        }
        if (securities.isEmpty()) {
            throw new IllegalStateException("security protocols: none (expected: at least one)");
        }
        if (muxers.isEmpty()) {
            throw new IllegalStateException("muxers: none (expected: at least one)");
        }
        if (key == null) {
            key = Keys.generateEd25519();
        }
        if (io == null) {
            io = transports.stream().map(Transport::newPreferredGroup).filter(Objects::nonNull).findFirst()
                    .orElseGet(() -> new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("vine-io", true),
                            NioIoHandler.newFactory()));
            ownsIo = true;
        }
        swarmExecutor = new DefaultEventExecutor(new DefaultThreadFactory("vine-swarm", true));
        return new Swarm(this);
    }
}
