package io.vine.protocol.relay;

import io.vine.core.Protocol;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.protocol.identify.Identify;
import io.vine.protocol.ping.Ping;
import io.vine.swarm.Swarm;
import io.vine.testkit.EchoProtocol;
import io.vine.testkit.TestSwarms;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Swarms for relay tests: a relay R, and clients with a {@link RelayTransport} in both roles. */
final class RelayFixture implements AutoCloseable {
    final List<Swarm> swarms = new ArrayList<>();

    Swarm relay(RelayService service, boolean tcp) {
        Swarm s = tcp ? TestSwarms.tcp(service, new Ping(), new Identify()) : TestSwarms.memory(service, new Ping(), new Identify());
        swarms.add(s);
        return s;
    }

    Swarm client(RelayTransport transport, boolean tcp, Protocol... more) {
        List<Protocol> protocols = new ArrayList<>(List.of(transport, new Ping(), new Identify(), new EchoProtocol()));
        protocols.addAll(List.of(more));
        Protocol[] all = protocols.toArray(Protocol[]::new);
        Swarm s = tcp ? TestSwarms.tcp(b -> b.transport(transport), all) : TestSwarms.memory(b -> b.transport(transport), all);
        swarms.add(s);
        return s;
    }

    static RelayTransport fastRetry() {
        return new RelayTransport(Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofMillis(400));
    }

    /** Listens through {@code relay}; the circuit address, ending in the listener's /p2p. */
    static Multiaddr reserve(Swarm listener, Swarm relay) {
        Multiaddr circuit = Multiaddr.parse(TestSwarms.address(relay) + "/p2p-circuit");
        Multiaddr bound = listener.listen(circuit).orTimeout(10, TimeUnit.SECONDS).join();
        return bound.withPeerId(listener.localPeer());
    }

    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
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
