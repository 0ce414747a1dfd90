package io.vine.protocol.relay;

import static java.util.Objects.requireNonNull;

import io.vine.core.Connection;
import io.vine.core.Protocol;
import io.vine.core.ProtocolContext;
import io.vine.core.StreamChannel;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.multiaddr.MultiaddrProtocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The relay side of circuit relay v2: serves {@value #HOP_PROTOCOL_ID}. Peers reserve a slot (RESERVE,
 * answered with the reservation's expiry, this relay's addresses and a voucher signed with this
 * node's key) and others connect to them through it (CONNECT, relayed to the target over
 * {@code /libp2p/circuit/relay/0.2.0/stop}). What is granted, to whom and for how long is the
 * {@link RelayConfig}'s; {@link #metrics()} counts it. Register with the swarm like any protocol.
 * Thread-safe.
 */
public final class RelayService implements Protocol {
    public static final String HOP_PROTOCOL_ID = RelayMessages.HOP;

    private final RelayConfig config;
    private final ReservationStore store;
    private final RelayCounters counters = new RelayCounters();
    private final Set<Circuit> circuits = ConcurrentHashMap.newKeySet();
    private volatile ProtocolContext context;
    private volatile boolean stopped;

    public RelayService() {
        this(RelayConfig.defaults());
    }

    public RelayService(RelayConfig config) {
        this.config = requireNonNull(config, "config");
        this.store = new ReservationStore(config);
    }

    public RelayConfig config() {
        return config;
    }

    /** The counters now. */
    public RelayMetrics metrics() {
        return counters.snapshot(store.reservations(), circuits.size());
    }

    @Override
    public List<String> protocolIds() {
        return List.of(HOP_PROTOCOL_ID);
    }

    @Override
    public void start(ProtocolContext context) {
        this.context = requireNonNull(context, "context");
    }

    @Override
    public void onConnectionClosed(Connection connection) {
        store.connectionClosed(connection);
    }

    @Override
    public void acceptInboundStream(StreamChannel stream, String protocolId) {
        if (stopped || context == null) {
            stream.reset();
            return;
        }
        stream.pipeline().addLast(new HopHandler(this, stream));
    }

    @Override
    public void stop() {
        stopped = true;
        List.copyOf(circuits).forEach(c -> c.close(RelayMetrics.CloseReason.RELAY_STOPPED));
        store.clear();
    }

    // ---- for the hop handler and circuits ----

    ProtocolContext context() {
        return context;
    }

    ReservationStore store() {
        return store;
    }

    RelayCounters counters() {
        return counters;
    }

    boolean stopped() {
        return stopped;
    }

    void opened(Circuit c) {
        circuits.add(c);
        if (stopped) {
            c.close(RelayMetrics.CloseReason.RELAY_STOPPED);
        }
    }

    void closed(Circuit c) {
        circuits.remove(c);
    }

    /** The addresses a reserving peer may advertise: this node's own, with /p2p, circuits left out. */
    List<Multiaddr> publicAddresses() {
        List<Multiaddr> out = new ArrayList<>();
        for (Multiaddr a : context.listenAddresses()) {
            if (!a.has(MultiaddrProtocol.P2P_CIRCUIT) && out.size() < 16) {
                out.add(a.withPeerId(context.localPeer()));
            }
        }
        return out;
    }
}
