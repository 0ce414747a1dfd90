package io.vine.protocol.relay;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoopGroup;
import io.vine.core.Connection;
import io.vine.core.DialException;
import io.vine.core.Protocol;
import io.vine.core.ProtocolContext;
import io.vine.core.StreamChannel;
import io.vine.core.Transport;
import io.vine.core.TransportListener;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.peer.PeerId;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The client of circuit relay v2, as a transport: dials
 * {@code <relay address>/p2p/<relay>/p2p-circuit/p2p/<target>} (CONNECT on the relay's hop protocol)
 * and listens on {@code <relay address>/p2p/<relay>/p2p-circuit} (a reservation, kept refreshed and
 * retried with back-off). A relayed stream becomes the raw channel the swarm upgrades (security and
 * muxer on top of it); both ends of a relayed connection are known by the circuit address
 * {@code <relay address>/p2p/<relay>/p2p-circuit}. It is also the protocol that accepts the relay's
 * {@value #STOP_PROTOCOL_ID} streams, so register the same instance in both roles:
 *
 * <pre>{@code
 * RelayTransport relay = new RelayTransport();
 * Swarm swarm = Swarm.builder().transport(relay, new TcpTransport()).protocol(relay)...build();
 * swarm.listen(Multiaddr.parse("/ip4/192.0.2.1/tcp/4001/p2p/" + relayId + "/p2p-circuit"));
 * }</pre>
 *
 * <p>A reservation's voucher, when the relay sends one, must be signed by the relay for this peer and
 * expire with the reservation, or the reservation is refused. A circuit the relay announces a limit
 * for (duration, data per direction) is closed by this client too when it reaches it. Both count in
 * {@link #metrics()}. Thread-safe.
 */
public final class RelayTransport implements Transport, Protocol {
    public static final String STOP_PROTOCOL_ID = RelayMessages.STOP;

    private final Duration handshakeTimeout;
    private final Duration retryMin;
    private final Duration retryMax;
    private final ConcurrentMap<PeerId, CircuitListener> listeners = new ConcurrentHashMap<>();
    private final ClientCounters counters = new ClientCounters();
    private volatile ProtocolContext context;

    /** A client with a 10 s handshake timeout that retries a lost reservation after 1 s, 2 s, ... up to 60 s. */
    public RelayTransport() {
        this(Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(60));
    }

    public RelayTransport(Duration handshakeTimeout, Duration retryMin, Duration retryMax) {
        this.handshakeTimeout = positive(handshakeTimeout, "handshakeTimeout");
        this.retryMin = positive(retryMin, "retryMin");
        this.retryMax = positive(retryMax, "retryMax");
        if (retryMax.compareTo(retryMin) < 0) {
            throw new IllegalArgumentException("retryMax: " + retryMax + " (expected: >= retryMin " + retryMin + ")");
        }
    }

    @Override
    public String name() {
        return "p2p-circuit";
    }

    @Override
    public boolean canDial(Multiaddr address) {
        return CircuitAddresses.parse(requireNonNull(address, "address")).isPresent();
    }

    @Override
    public boolean canListen(Multiaddr address) {
        return CircuitAddresses.parse(requireNonNull(address, "address")).filter(p -> p.target().isEmpty()).isPresent();
    }

    @Override
    public CompletableFuture<Channel> dial(EventLoopGroup group, Multiaddr address, ChannelHandler initializer) {
        requireNonNull(address, "address");
        requireNonNull(initializer, "initializer");
        ProtocolContext ctx = context;
        Optional<CircuitAddresses.Parsed> parsed = CircuitAddresses.parse(address);
        if (ctx == null) {
            return CompletableFuture.failedFuture(new DialException("relay transport: not registered as a protocol"));
        }
        if (parsed.isEmpty() || parsed.get().target().isEmpty()) {
            return CompletableFuture.failedFuture(new DialException("relay transport cannot dial " + address
                    + " (expected: <relay address>/p2p/<relay>/p2p-circuit/p2p/<target>)"));
        }
        CircuitAddresses.Parsed p = parsed.get();
        PeerId target = p.target().get();
        CompletableFuture<Connection> relay = p.hasTransportAddress()
                ? ctx.dial(p.relayAddress(), false) : ctx.dial(p.relay(), false);
        return relay.thenCompose(c -> {
            if (RelayMessages.relayed(c.remoteAddress())) {
                return CompletableFuture.failedFuture(new DialException("relay " + p.relay() + " is reached through a relay"));
            }
            return c.newStream(RelayMessages.HOP);
        }).thenCompose(s -> HopClient.connect(s, target, handshakeTimeout,
                (stream, rest, limit) -> handover(stream, rest, p.circuit(), p.circuit(), initializer, limit)))
                .thenApply(s -> (Channel) s);
    }

    @Override
    public CompletableFuture<TransportListener> listen(EventLoopGroup group, Multiaddr address, ChannelHandler initializer) {
        requireNonNull(address, "address");
        requireNonNull(initializer, "initializer");
        ProtocolContext ctx = context;
        Optional<CircuitAddresses.Parsed> parsed = CircuitAddresses.parse(address);
        if (ctx == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("relay transport: not registered as a protocol"));
        }
        if (parsed.isEmpty() || parsed.get().target().isPresent()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("relay transport cannot listen on "
                    + address + " (expected: <relay address>/p2p/<relay>/p2p-circuit)"));
        }
        CircuitListener l = new CircuitListener(this, ctx, parsed.get(), initializer);
        if (listeners.putIfAbsent(parsed.get().relay(), l) != null) {
            return CompletableFuture.failedFuture(new IllegalStateException("already listening through " + parsed.get().relay()));
        }
        return l.start();
    }

    @Override
    public Multiaddr localAddress(Channel channel) {
        return channel.attr(CircuitAddresses.LOCAL).get();
    }

    @Override
    public Multiaddr remoteAddress(Channel channel) {
        return channel.attr(CircuitAddresses.REMOTE).get();
    }

    /** What this client did so far: reservations accepted and rejected, circuits ended by their limit. */
    public RelayClientMetrics metrics() {
        return counters.snapshot();
    }

    /** The relays this node holds (or is renewing) a reservation on. */
    public List<PeerId> relays() {
        return List.copyOf(listeners.keySet());
    }

    // ---- Protocol: the stop side ----

    @Override
    public List<String> protocolIds() {
        return List.of(STOP_PROTOCOL_ID);
    }

    @Override
    public void start(ProtocolContext context) {
        this.context = requireNonNull(context, "context");
    }

    @Override
    public void onConnectionClosed(Connection connection) {
        CircuitListener l = listeners.get(connection.remotePeer());
        if (l != null) {
            l.connectionClosed(connection);
        }
    }

    @Override
    public void acceptInboundStream(StreamChannel stream, String protocolId) {
        stream.pipeline().addLast(new StopHandler(this, stream));
    }

    @Override
    public void stop() {
        List.copyOf(listeners.values()).forEach(CircuitListener::close);
    }

    // ---- internal ----

    ClientCounters counters() {
        return counters;
    }

    Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    Duration retryMin() {
        return retryMin;
    }

    Duration retryMax() {
        return retryMax;
    }

    CircuitListener listener(PeerId relay) {
        return listeners.get(relay);
    }

    void remove(PeerId relay, CircuitListener l) {
        listeners.remove(relay, l);
    }

    /**
     * Makes {@code stream} the raw channel of a relayed connection, held to {@code limit} (null:
     * none) on this side too; on its event loop.
     */
    void handover(StreamChannel stream, ByteBuf rest, Multiaddr local, Multiaddr remote, ChannelHandler initializer,
            CircuitLimitHandler.Limit limit) {
        CircuitAddresses.set(stream, local, remote);
        if (limit != null) {
            stream.pipeline().addLast(new CircuitLimitHandler(limit, counters));
        }
        stream.pipeline().addLast(CloseOnEnd.INSTANCE);
        stream.pipeline().addLast(initializer);
        if (rest.isReadable()) {
            stream.pipeline().fireChannelRead(rest).fireChannelReadComplete();
        } else {
            rest.release();
        }
        stream.config().setAutoRead(true);
    }

    /**
     * A relayed connection ends when its stream's input does, as a TCP connection without half-close
     * closes on EOF: the security and muxer layers above know no half-closed connection.
     */
    @ChannelHandler.Sharable
    private static final class CloseOnEnd extends io.netty.channel.ChannelInboundHandlerAdapter {
        static final CloseOnEnd INSTANCE = new CloseOnEnd();

        @Override
        public void userEventTriggered(io.netty.channel.ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof io.netty.channel.socket.ChannelInputShutdownReadComplete) {
                ctx.close();
            }
            ctx.fireUserEventTriggered(evt);
        }
    }

    private static Duration positive(Duration d, String name) {
        requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + ": " + d + " (expected: > 0)");
        }
        return d;
    }
}
