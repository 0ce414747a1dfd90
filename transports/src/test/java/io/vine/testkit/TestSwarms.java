package io.vine.testkit;

import static java.util.Objects.requireNonNull;

import io.netty.channel.EventLoopGroup;
import io.vine.core.Connection;
import io.vine.core.Protocol;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.muxer.yamux.Yamux;
import io.vine.security.noise.NoiseSecurity;
import io.vine.swarm.Swarm;
import io.vine.swarm.SwarmBuilder;
import io.vine.transport.memory.MemoryTransport;
import io.vine.transport.tcp.TcpTransport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Running swarms for tests: Noise and Yamux over the in-memory transport or TCP on loopback, each
 * with a new Ed25519 identity and already listening. Close them (they are {@link AutoCloseable});
 * the I/O event loops are shared by all test swarms of the JVM and are not shut down.
 *
 * <pre>{@code
 * try (Swarm a = TestSwarms.memory(); Swarm b = TestSwarms.memory(new Echo())) {
 *     Connection c = TestSwarms.connect(a, b);
 *     ...
 * }
 * }</pre>
 */
public final class TestSwarms {
    /** How long the helpers wait for a listen or a connection. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private TestSwarms() {}

    /** Daemon I/O loops shared by test swarms (epoll when available, else NIO). */
    private static final class Shared {
        static final EventLoopGroup IO = TcpTransport.defaultGroup(4);
    }

    /** A swarm on the memory transport, listening on a fresh {@code /memory/<n>}. */
    public static Swarm memory(Protocol... protocols) {
        return memory(b -> {}, protocols);
    }

    /**
     * A swarm on the memory transport. {@code customize} runs on the builder before Noise and Yamux are
     * added: security protocols and muxers it adds are preferred to them; it may set limits, identity,
     * gater, more transports.
     */
    public static Swarm memory(Consumer<SwarmBuilder> customize, Protocol... protocols) {
        return start(customize, new MemoryTransport(), Multiaddr.parse("/memory/0"), protocols);
    }

    /** A swarm on TCP, listening on {@code /ip4/127.0.0.1/tcp/0}. */
    public static Swarm tcp(Protocol... protocols) {
        return tcp(b -> {}, protocols);
    }

    /** A swarm on TCP; see {@link #memory(Consumer, Protocol...)} for {@code customize}. */
    public static Swarm tcp(Consumer<SwarmBuilder> customize, Protocol... protocols) {
        return start(customize, new TcpTransport(), Multiaddr.parse("/ip4/127.0.0.1/tcp/0"), protocols);
    }

    /** A swarm that listens on nothing (only dials), on both transports. */
    public static Swarm dialOnly(Consumer<SwarmBuilder> customize, Protocol... protocols) {
        return build(customize, protocols, new MemoryTransport(), new TcpTransport());
    }

    /** {@code swarm}'s first listen address, ending in its {@code /p2p} id. */
    public static Multiaddr address(Swarm swarm) {
        List<Multiaddr> addresses = swarm.listenAddresses();
        if (addresses.isEmpty()) {
            throw new IllegalStateException(swarm + " listens on nothing");
        }
        return addresses.get(0).withPeerId(swarm.localPeer());
    }

    /**
     * Connects {@code a} to {@code b} (a dials b's first listen address with /p2p, reusing an open
     * connection) and waits until both sides have registered the connection.
     */
    public static Connection connect(Swarm a, Swarm b) {
        requireNonNull(a, "a");
        requireNonNull(b, "b");
        Connection c = a.dial(address(b)).orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (b.connections(a.localPeer()).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(b + " did not register the connection from " + a + " within " + TIMEOUT);
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return c;
    }

    private static Swarm start(Consumer<SwarmBuilder> customize, io.vine.core.Transport transport, Multiaddr listen,
            Protocol... protocols) {
        Swarm swarm = build(customize, protocols, transport);
        try {
            swarm.listen(listen).orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
        } catch (RuntimeException e) {
            swarm.close();
            throw e;
        }
        return swarm;
    }

    private static Swarm build(Consumer<SwarmBuilder> customize, Protocol[] protocols, io.vine.core.Transport... transports) {
        requireNonNull(customize, "customize");
        SwarmBuilder b = Swarm.builder().ioGroup(Shared.IO);
        customize.accept(b);
        return b.transport(transports)
                .security(new NoiseSecurity())
                .muxer(new Yamux())
                .protocol(protocols)
                .build();
    }
}
