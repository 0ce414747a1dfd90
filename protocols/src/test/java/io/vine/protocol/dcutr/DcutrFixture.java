package io.vine.protocol.dcutr;

import io.vine.core.Connection;
import io.vine.core.Protocol;
import io.vine.core.SwarmEvent;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.peer.PeerId;
import io.vine.protocol.identify.Identify;
import io.vine.protocol.ping.Ping;
import io.vine.protocol.relay.RelayService;
import io.vine.protocol.relay.RelayTransport;
import io.vine.swarm.Swarm;
import io.vine.swarm.SwarmBuilder;
import io.vine.testkit.EchoProtocol;
import io.vine.testkit.TestSwarms;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Memory-transport swarms for DCUtR: a relay, a listener B that reserves on it, a dialer A that
 * reaches B through it. Records each swarm's hole punch events.
 */
final class DcutrFixture implements AutoCloseable {
    final List<Swarm> swarms = new ArrayList<>();
    final Swarm relay;

    DcutrFixture() {
        relay = track(TestSwarms.memory(new RelayService(), new Identify(), new Ping()));
    }

    Swarm track(Swarm s) {
        swarms.add(s);
        return s;
    }

    /** A swarm with the relay client, identify, ping, echo, and {@code more} (e.g. a Dcutr). */
    Swarm peer(Consumer<SwarmBuilder> customize, Protocol... more) {
        RelayTransport client = new RelayTransport();
        List<Protocol> all = new ArrayList<>(List.of(client, new Identify(), new Ping(), new EchoProtocol()));
        all.addAll(List.of(more));
        return track(TestSwarms.memory(b -> {
            customize.accept(b);
            b.transport(client);
        }, all.toArray(Protocol[]::new)));
    }

    Swarm peer(Protocol... more) {
        return peer(b -> {}, more);
    }

    /** Listens through the relay; the circuit address with the listener's /p2p. */
    Multiaddr reserve(Swarm listener) {
        Multiaddr circuit = Multiaddr.parse(TestSwarms.address(relay) + "/p2p-circuit");
        return listener.listen(circuit).orTimeout(10, TimeUnit.SECONDS).join().withPeerId(listener.localPeer());
    }

    /** The hole punch events {@code swarm} publishes from now on. */
    static BlockingQueue<SwarmEvent> events(Swarm swarm) {
        BlockingQueue<SwarmEvent> q = new LinkedBlockingQueue<>();
        swarm.subscribe(e -> {
            if (e instanceof HolePunchSucceeded || e instanceof HolePunchFailed) {
                q.add(e);
            }
        });
        return q;
    }

    static SwarmEvent next(BlockingQueue<SwarmEvent> q) throws InterruptedException {
        SwarmEvent e = q.poll(30, TimeUnit.SECONDS);
        if (e == null) {
            throw new AssertionError("no hole punch event within 30 s");
        }
        return e;
    }

    static boolean relayed(Connection c) {
        return c.remoteAddress().toString().contains("/p2p-circuit");
    }

    static List<Connection> direct(Swarm s, PeerId peer) {
        return s.connections(peer).stream().filter(c -> !relayed(c)).toList();
    }

    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() {
        swarms.reversed().forEach(Swarm::close);
    }
}
