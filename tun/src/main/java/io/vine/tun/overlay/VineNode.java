package io.vine.tun.overlay;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.concurrent.ScheduledFuture;
import io.vine.core.ConnectionGater;
import io.vine.core.crypto.PrivKey;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.peer.PeerId;
import io.vine.muxer.yamux.Yamux;
import io.vine.protocol.dcutr.Dcutr;
import io.vine.protocol.dcutr.DcutrConfig;
import io.vine.protocol.identify.Identify;
import io.vine.protocol.relay.RelayTransport;
import io.vine.security.noise.NoiseSecurity;
import io.vine.swarm.Swarm;
import io.vine.swarm.SwarmBuilder;
import io.vine.transport.tcp.TcpConfig;
import io.vine.transport.tcp.TcpTransport;
import io.vine.tun.TunConfig;
import io.vine.tun.TunDevice;
import io.vine.tun.control.ControlMessage;
import io.vine.tun.linux.LinuxTun;
import io.vine.tun.route.Route;
import io.vine.tun.session.PathKind;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The overlay runtime: binds the prefixes of a {@link VineConfig}'s allowlist to libp2p sessions and
 * moves IP packets between a {@link TunDevice} and those sessions.
 *
 * <p>Lifecycle: {@link #init} (identity, swarm, device), {@link #start} (listen, announce the local
 * prefix, start the TUN readers), {@link #bootstrap} (static bootstrap addresses first, then seed
 * records, then relay reservations), {@link #stop}. Data hooks {@link #sendPacket} (what the TUN
 * readers call) and {@link #receivePacket} (what the packet streams call) can be driven directly by
 * an embedder or a test. Observability: the event callback, {@link #diagnostics()},
 * {@link #debugSnapshot()}. Thread-safe.
 */
public final class VineNode implements AutoCloseable {
    /** Lifecycle states, in order. */
    public enum State { NEW, INITIALIZED, STARTED, STOPPED }

    private static final Duration LISTEN_TIMEOUT = Duration.ofSeconds(10);
    /** Hole punches give up sooner than the defaults: the relayed path already carries the session. */
    private static final DcutrConfig DCUTR = DcutrConfig.DEFAULT.withMessageTimeout(Duration.ofSeconds(5))
            .withDialTimeout(Duration.ofSeconds(5));

    private volatile VineConfig config;
    private final Function<TunConfig, TunDevice> deviceFactory;
    private final Consumer<SwarmBuilder> stack;
    private final ConnectionGater gater;
    private final Consumer<VineEvent> events;
    private volatile State state = State.NEW;
    private Overlay overlay;
    private Swarm swarm;
    private TunReader reader;
    private ScheduledFuture<?> ticker;
    private Reloader reloader;

    private VineNode(Builder b) {
        config = b.config;
        deviceFactory = b.deviceFactory;
        stack = b.stack;
        gater = b.gater;
        events = b.events;
    }

    public static Builder builder(VineConfig config) {
        return new Builder(config);
    }

    /** Loads the identity, checks the local allowlist entry, builds the swarm and opens the device. */
    public synchronized void init() {
        expect(State.NEW, "init");
        PrivKey key = config.identity().load();
        PeerId self = PeerId.fromPublicKey(key.publicKey());
        checkLocalEntry(config, self);
        overlay = new Overlay(config, self, events);
        RelayTransport relayClient = new RelayTransport();
        SwarmBuilder b = Swarm.builder().identity(key);
        stack.accept(b);
        b.transport(relayClient).protocol(overlay, relayClient);
        OverlayRelay relay = config.relay() ? new OverlayRelay(config, self) : null;
        if (relay != null) {
            b.protocol(relay.service);
        }
        if (config.signalingUpgrade()) {
            // DCUtR offers the addresses peers observed (identify tells them): behind a NAT, the mapped one
            b.protocol(new Dcutr(DCUTR), new Identify());
        }
        AllowlistGater allowlist = new AllowlistGater(config.allowlist().stream().map(PeerEntry::peer)
                .collect(java.util.stream.Collectors.toSet()), config.strictAllowlist(), gater);
        b.gater(allowlist);
        swarm = b.build();
        reloader = new Reloader(overlay, swarm, allowlist, relay);
        try {
            overlay.device = deviceFactory.apply(config.tunConfig());
        } catch (RuntimeException e) {
            swarm.close();
            throw e;
        }
        state = State.INITIALIZED;
        overlay.emit(new VineEvent.Lifecycle(state, "peer " + self + ", device " + overlay.device.name()
                + ", prefix " + config.localPrefix()));
    }

    /** Listens, announces the local prefix (to every path, now and as paths open) and starts the TUN readers. */
    public synchronized void start() {
        expect(State.INITIALIZED, "start");
        for (Multiaddr a : config.listen()) {
            swarm.listen(a).orTimeout(LISTEN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
        }
        CompletableFuture.runAsync(() -> {
            long epoch = overlay.nextEpoch();
            overlay.routes.announce(config.localPrefix(), overlay.self, epoch);
            overlay.announcing = true;
            overlay.control.broadcast(new ControlMessage.Announce(config.localPrefix(), epoch));
        }, swarm.executor()).join();
        reader = new TunReader(overlay.device, overlay.packets, PooledByteBufAllocator.DEFAULT);
        reader.start();
        long tick = config.keepaliveInterval().toNanos();
        ticker = swarm.executor().scheduleAtFixedRate(overlay.control::tick, tick, tick, TimeUnit.NANOSECONDS);
        state = State.STARTED;
        overlay.emit(new VineEvent.Lifecycle(state, "listening on " + swarm.listenAddresses()));
    }

    /**
     * Dials the static bootstrap addresses, then the seed records, then takes a reservation on every
     * connected relay-capable peer; peers still unreached are tried through a relay and re-dialed with
     * back-off. Each step is reported as a {@link VineEvent.Bootstrap}; the future completes with them.
     */
    public CompletableFuture<List<VineEvent.Bootstrap>> bootstrap() {
        if (state != State.STARTED) {
            return CompletableFuture.failedFuture(new OverlayException("bootstrap: node is " + state + " (expected: STARTED)"));
        }
        return new Bootstrapper(overlay, swarm).run();
    }

    /**
     * Takes over {@code next}'s allowlist, bootstrap addresses, seed records and strict-allowlist
     * policy while running, on the swarm's event loop: new peers get sessions and are dialed (and
     * reserved on, if they relay); removed peers are disconnected and their routes withdrawn; a peer
     * whose prefix changed loses its routes outside the new prefix; unchanged peers keep their sessions
     * untouched; the gater and the relay service admit the new allowlist. Nothing is applied, and the
     * future fails with an {@link OverlayException}, when {@code next} changes what only a restart can
     * (see {@link VineConfig#restartOnlyChanges}, and the identity) or does not give the local peer the
     * local prefix. Completes once the new allowlist is in force; dials go on in the background.
     */
    public CompletableFuture<Reload> reload(VineConfig next) {
        requireNonNull(next, "next");
        Overlay o;
        try {
            o = started("reload");
            List<String> restart = new java.util.ArrayList<>(config.restartOnlyChanges(next));
            if (next.identity() != config.identity() && !PeerId.fromPublicKey(next.identity().load().publicKey()).equals(o.self)) {
                restart.add("identity");
            }
            if (!restart.isEmpty()) {
                throw new OverlayException("reload: " + String.join(", ", restart)
                        + " changed, which only a restart applies (nothing applied)");
            }
            checkLocalEntry(next, o.self);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return CompletableFuture.supplyAsync(() -> {
            if (state != State.STARTED) {
                throw new OverlayException("reload: node is " + state + " (expected: STARTED)");
            }
            Reload r = reloader.apply(next);
            config = next;
            return r;
        }, swarm.executor());
    }

    /** Announces the withdrawal of the local prefix, stops the readers, closes the device and the swarm. Idempotent. */
    public synchronized void stop() {
        if (state == State.STOPPED || state == State.NEW) {
            state = State.STOPPED;
            return;
        }
        if (state == State.STARTED) {
            CompletableFuture.runAsync(() -> overlay.control.broadcast(
                    new ControlMessage.Withdraw(config.localPrefix(), overlay.nextEpoch())), swarm.executor()).join();
            ticker.cancel(false);
        }
        overlay.stopping = true;
        if (reader != null) {
            reader.detach(); // before the device closes its descriptors: no event loop may still wait on one
        }
        overlay.device.close();
        if (reader != null) {
            reader.stop();
        }
        swarm.close();
        state = State.STOPPED;
        overlay.emit(new VineEvent.Lifecycle(state, "stopped"));
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * Sends one frame as read from the device (with its virtio-net header when {@link VineConfig#offload()}):
     * route lookup, the owner's preferred session, its packet stream. Does not release {@code frame}.
     *
     * @return empty when sent, else why it was dropped (also counted)
     */
    public Optional<DropReason> sendPacket(ByteBuf frame) {
        requireNonNull(frame, "frame");
        return started("sendPacket").packets.send(frame);
    }

    /**
     * Checks one frame received from {@code from} and writes it to the device. Does not release {@code frame}.
     *
     * @return empty when written, else why it was dropped (also counted)
     */
    public Optional<DropReason> receivePacket(PeerId from, ByteBuf frame) {
        requireNonNull(from, "from");
        requireNonNull(frame, "frame");
        return started("receivePacket").packets.receive(from, frame);
    }

    /**
     * Closes the paths of {@code peer}'s session that cannot carry packets (stream lost, hello missing);
     * when none is left the peer must say hello again. Completes with the number of paths closed.
     */
    public CompletableFuture<Integer> cleanupStaleSession(PeerId peer) {
        requireNonNull(peer, "peer");
        Overlay o = started("cleanupStaleSession");
        return CompletableFuture.supplyAsync(() -> {
            PeerSession s = o.sessions.get(peer);
            if (s == null) {
                return 0;
            }
            int closed = 0;
            for (Path p : s.paths) {
                if (!p.ready()) {
                    s.paths.remove(p);
                    o.paths.remove(p.connection);
                    p.connection.close();
                    closed++;
                }
            }
            if (s.paths.isEmpty()) {
                s.admitted = false;
            }
            o.sessionLogic.update(s);
            return closed;
        }, swarm.executor());
    }

    /** A diagnostic ping over the control protocol of {@code peer}'s preferred path. */
    public CompletableFuture<Duration> ping(PeerId peer) {
        requireNonNull(peer, "peer");
        return started("ping").control.ping(peer, Duration.ofSeconds(10));
    }

    /** The counters now. */
    public Diagnostics diagnostics() {
        Overlay o = overlay;
        return o == null ? new Counters().snapshot() : o.counters.snapshot();
    }

    /** Peers, routes, sessions and counters as one value. */
    public DebugSnapshot debugSnapshot() {
        Overlay o = overlay;
        if (o == null) {
            throw new OverlayException("debugSnapshot: node is NEW (expected: init() first)");
        }
        List<DebugSnapshot.PeerView> peers = o.config.allowlist().stream()
                .map(e -> new DebugSnapshot.PeerView(e.peer(), e.prefix(), e.relay(),
                        e.peer().equals(o.self) || o.session(e.peer()).map(s -> s.admitted).orElse(false),
                        o.session(e.peer()).map(s -> s.refusedFor)))
                .toList();
        List<DebugSnapshot.SessionView> sessions = o.sessions.values().stream().map(PeerSession::view).toList();
        return new DebugSnapshot(o.self, config.networkId(), state, config.localPrefix(), peers, o.routes.routes(),
                sessions, o.counters.snapshot().counters());
    }

    /** The kind of path {@code peer}'s session sends on now, if any. */
    public Optional<PathKind> sessionPath(PeerId peer) {
        Overlay o = overlay;
        return o == null ? Optional.empty() : o.session(peer).map(s -> s.preferred).map(p -> p.kind);
    }

    /** The route table now. */
    public List<Route> routes() {
        Overlay o = overlay;
        return o == null ? List.of() : o.routes.routes();
    }

    public PeerId localPeer() {
        return initialized("localPeer").self;
    }

    /** The swarm under the node (for more protocols, ping, identify); available after {@link #init}. */
    public Swarm swarm() {
        initialized("swarm");
        return swarm;
    }

    public TunDevice device() {
        return initialized("device").device;
    }

    /** The config in force (the last one {@link #reload} applied). */
    public VineConfig config() {
        return config;
    }

    /** How many of the device's queues event loops read (the others have reader threads, if started). */
    synchronized int tunQueuesOnEventLoops() {
        return reader == null ? 0 : reader.queuesOnEventLoops();
    }

    public State state() {
        return state;
    }

    /** The allowlist may list the local peer, with the local prefix; no one else owns it. */
    private static void checkLocalEntry(VineConfig config, PeerId self) {
        for (int i = 0; i < config.allowlist().size(); i++) {
            PeerEntry e = config.allowlist().get(i);
            if (e.peer().equals(self) != e.prefix().equals(config.localPrefix())) {
                throw new OverlayException("allowlist[" + i + "]: " + e.peer() + " owns " + e.prefix() + " (expected: "
                        + (e.peer().equals(self) ? "localPrefix " + config.localPrefix() + " for the local peer"
                        : "the local peer " + self + " to own localPrefix") + ")");
            }
        }
    }

    private Overlay initialized(String what) {
        Overlay o = overlay;
        if (o == null) {
            throw new OverlayException(what + ": node is NEW (expected: init() first)");
        }
        return o;
    }

    private Overlay started(String what) {
        if (state != State.STARTED) {
            throw new OverlayException(what + ": node is " + state + " (expected: STARTED)");
        }
        return overlay;
    }

    private void expect(State expected, String what) {
        if (state != expected) {
            throw new OverlayException(what + ": node is " + state + " (expected: " + expected + ")");
        }
    }

    @Override
    public String toString() {
        Overlay o = overlay;
        return "VineNode{" + (o == null ? "?" : o.self) + ", " + config.networkId() + ", " + config.localPrefix() + ", " + state + "}";
    }

    /** Builds a {@link VineNode}; nothing happens until {@link VineNode#init()}. */
    public static final class Builder {
        private final VineConfig config;
        private Function<TunConfig, TunDevice> deviceFactory = LinuxTun::open;
        private Consumer<SwarmBuilder> stack;
        private ConnectionGater gater = ConnectionGater.ALLOW_ALL;
        private Consumer<VineEvent> events = e -> { };

        private Builder(VineConfig config) {
            this.config = requireNonNull(config, "config");
            // With signaling upgrades, dials leave from the listen port (SO_REUSEPORT) so hole punches can open NATs.
            TcpConfig tcp = TcpConfig.DEFAULT.withReusePort(config.signalingUpgrade());
            this.stack = b -> b.transport(new TcpTransport(tcp)).security(new NoiseSecurity()).muxer(new Yamux());
        }

        /** Opens the device from the config's {@link VineConfig#tunConfig()}; {@link LinuxTun#open} by default. */
        public Builder device(Function<TunConfig, TunDevice> factory) {
            this.deviceFactory = requireNonNull(factory, "factory");
            return this;
        }

        /**
         * Adds transports, security protocols, muxers (and may set the I/O group or limits) to the swarm;
         * TCP (with {@code SO_REUSEPORT} when {@link VineConfig#signalingUpgrade()}), Noise and Yamux by default
         * (on the event loops TCP prefers: epoll where Linux has it). The node adds its identity, the relay client, its protocols
         * and gater.
         */
        public Builder swarm(Consumer<SwarmBuilder> stack) {
            this.stack = requireNonNull(stack, "stack");
            return this;
        }

        /** A gater consulted after the allowlist (tests cut paths with it). */
        public Builder gater(ConnectionGater gater) {
            this.gater = requireNonNull(gater, "gater");
            return this;
        }

        public Builder events(Consumer<VineEvent> events) {
            this.events = requireNonNull(events, "events");
            return this;
        }

        public VineNode build() {
            return new VineNode(this);
        }
    }
}
