package io.vine.interop;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.vine.cli.NodeStack;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.protocol.dcutr.Dcutr;
import io.vine.protocol.relay.RelayService;
import io.vine.protocol.relay.RelayTransport;
import io.vine.swarm.Swarm;
import io.vine.swarm.SwarmBuilder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Vine nodes as {@code vine node} builds them (relay client always; relay service, DCUtR on demand), and waits on js events. */
final class RelayNodes {
    static final Duration WAIT = Duration.ofSeconds(20);

    private RelayNodes() {}

    /**
     * A vine node listening on loopback TCP: TCP (with SO_REUSEPORT when {@code dcutr} is given, as
     * {@code --hole-punch} does), Noise, Yamux, identify, ping, the relay client transport, and
     * optionally the relay service and DCUtR.
     */
    static Swarm vine(boolean relayService, Dcutr dcutr) throws Exception {
        SwarmBuilder b = NodeStack.builder(null, List.of("noise"), List.of("yamux"), "vine-interop", dcutr != null);
        RelayTransport client = new RelayTransport();
        b.transport(client).protocol(client);
        if (relayService) {
            b.protocol(new RelayService());
        }
        if (dcutr != null) {
            b.protocol(dcutr);
        }
        Swarm swarm = b.build();
        try {
            await(swarm.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")));
            return swarm;
        } catch (Exception | Error e) {
            swarm.close();
            throw e;
        }
    }

    /** The node's loopback TCP address with its /p2p. */
    static Multiaddr address(Swarm swarm) {
        return swarm.listenAddresses().stream()
                .filter(a -> a.toString().startsWith("/ip4/127.0.0.1/tcp/"))
                .findFirst()
                .orElseThrow()
                .withPeerId(swarm.localPeer());
    }

    /** Reserves a slot on {@code relay} for {@code swarm}; the circuit address ending in the swarm's /p2p. */
    static Multiaddr reserve(Swarm swarm, String relay) throws Exception {
        return await(swarm.listen(Multiaddr.parse(relay + "/p2p-circuit"))).withPeerId(swarm.localPeer());
    }

    static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Reads js events until one matches (other events are skipped); fails after {@code timeout}. */
    static JsonNode awaitEvent(JsNode js, Duration timeout, Predicate<JsonNode> wanted) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("js printed no matching event within " + timeout);
            }
            JsonNode event = js.nextEvent(Duration.ofNanos(left));
            if (wanted.test(event)) {
                return event;
            }
        }
    }

    /** A js listener reserving on {@code relay}; its circuit address. */
    static String jsReservation(JsNode js) {
        return awaitEvent(js, WAIT, e -> "reservation".equals(e.path("event").asText())).get("address").asText();
    }
}
