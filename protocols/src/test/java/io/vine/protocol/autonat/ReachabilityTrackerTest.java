package io.vine.protocol.autonat;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandler;
import io.netty.util.concurrent.EventExecutor;
import io.vine.core.Connection;
import io.vine.core.PeerStore;
import io.vine.core.ProtocolContext;
import io.vine.core.Reachability;
import io.vine.core.StreamChannel;
import io.vine.core.SwarmEvent;
import io.vine.core.crypto.Keys;
import io.vine.core.crypto.PrivKey;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.peer.PeerId;
import io.vine.swarm.Swarm;
import io.vine.testkit.TestSwarms;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client's address pipeline with scripted servers: verdicts need {@code confirmations} distinct
 * servers, a confirmed public observed address becomes an external address (and leaves when later
 * checks fail), and every verdict reaches the peer store and the events. A memory swarm provides the
 * loop, peer store and external addresses; listen addresses and answers are scripted.
 */
class ReachabilityTrackerTest {
    private static final Multiaddr LISTEN = Multiaddr.parse("/ip4/192.0.2.10/tcp/4001");
    private static final Multiaddr MAPPED = Multiaddr.parse("/ip4/203.0.113.7/tcp/4001");

    private final Swarm swarm = TestSwarms.memory();
    private final AtomicLong clock = new AtomicLong();
    private final Map<Multiaddr, Reachability> answers = new ConcurrentHashMap<>();
    private final List<String> asked = new CopyOnWriteArrayList<>();
    private final List<ReachabilityChanged> events = new CopyOnWriteArrayList<>();
    private final AutoNatConfig config = AutoNatConfig.builder().confirmations(2)
            .recheckInterval(Duration.ofMinutes(1)).build();
    private final ReachabilityTracker tracker = new ReachabilityTracker(new Context(swarm), config,
            (server, address) -> {
                asked.add(server + " " + address);
                return CompletableFuture.completedFuture(new DialResult(server, DialResult.Status.OK,
                        Optional.of(address), answers.getOrDefault(address, Reachability.UNKNOWN)));
            }, clock::get);

    private final List<AutoCloseable> toClose = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        swarm.close();
    }

    private PeerId server() {
        PeerId p = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
        swarm.peerStore().setProtocols(p, Set.of(AutoNat.DIAL_REQUEST_ID));
        onLoop(() -> tracker.onConnected(p));
        return p;
    }

    private void onLoop(Runnable r) {
        try {
            swarm.executor().submit(r).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Ticks until the tracker has nothing left to ask (the scripted answers complete at once). */
    private void settle() {
        for (int i = 0; i < 20; i++) {
            onLoop(tracker::tick);
        }
        onLoop(() -> {});
    }

    @Test
    void listenAndObservedAddressesGetVerdictsFromEnoughServers() throws Exception {
        closeOnEnd(swarm.subscribe(e -> {
            if (e instanceof ReachabilityChanged c) {
                events.add(c);
            }
        }));
        answers.put(LISTEN, Reachability.PRIVATE);
        answers.put(MAPPED, Reachability.PUBLIC);
        onLoop(() -> {
            tracker.observed().record(MAPPED, address("198.51.100.1"), 0);
            tracker.observed().record(MAPPED, address("198.51.100.2"), 0);
        });
        server();
        settle();
        // One server is not enough for confirmations = 2.
        assertThat(swarm.peerStore().reachability()).isEmpty();
        assertThat(asked).hasSize(2);

        server();
        server();
        settle();
        assertThat(swarm.peerStore().reachability())
                .containsEntry(LISTEN, Reachability.PRIVATE)
                .containsEntry(MAPPED, Reachability.PUBLIC);
        assertThat(swarm.externalAddresses()).containsExactly(MAPPED);
        assertThat(events).contains(new ReachabilityChanged(LISTEN, Reachability.PRIVATE),
                new ReachabilityChanged(MAPPED, Reachability.PUBLIC));
        int afterVerdicts = asked.size();
        settle();
        assertThat(asked).as("no checks while verdicts are fresh").hasSize(afterVerdicts);

        // Later the mapping breaks: after the recheck interval, two servers say PRIVATE.
        answers.put(MAPPED, Reachability.PRIVATE);
        for (int i = 0; i < 3; i++) {
            clock.addAndGet(Duration.ofMinutes(2).toNanos());
            settle();
        }
        assertThat(swarm.peerStore().reachability()).containsEntry(MAPPED, Reachability.PRIVATE);
        assertThat(swarm.externalAddresses()).isEmpty();
        assertThat(events).contains(new ReachabilityChanged(MAPPED, Reachability.PRIVATE));
    }

    @Test
    void serversWithoutAVerdictAreNotAskedAgainSoon() {
        server();
        settle();
        assertThat(asked).hasSize(1);
        settle();
        assertThat(asked).hasSize(1);
        clock.addAndGet(Duration.ofMinutes(2).toNanos());
        settle();
        assertThat(asked).hasSize(2);
    }

    @Test
    void aServerThatGaveNoVerdictIsAskedAgainAfterABackoffThatDoublesUpToTheRecheckInterval() {
        // checkInterval 15 s (the default), recheckInterval 1 min: backoffs of 15 s, 30 s, 60 s, 60 s
        assertThat(List.of(1, 2, 3, 4, 10).stream().map(n -> Duration.ofNanos(tracker.retryBackoffNanos(n))))
                .containsExactly(Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofMinutes(1),
                        Duration.ofMinutes(1), Duration.ofMinutes(1));
        server(); // its answers stay UNKNOWN until LISTEN gets one
        settle();
        assertThat(asked).hasSize(1);
        for (long seconds : new long[] {15, 30, 60}) {
            int before = asked.size();
            clock.addAndGet(Duration.ofSeconds(seconds - 1).toNanos());
            settle();
            assertThat(asked).as("not asked again %s s after the last failure", seconds - 1).hasSize(before);
            clock.addAndGet(Duration.ofSeconds(1).toNanos());
            settle();
            assertThat(asked).as("asked again %s s after the last failure", seconds).hasSize(before + 1);
        }
        // An answer ends the backoff: the verdict arrives and nothing more is asked while it is fresh.
        answers.put(LISTEN, Reachability.PRIVATE);
        clock.addAndGet(Duration.ofMinutes(1).toNanos());
        settle();
        server();
        settle();
        assertThat(swarm.peerStore().reachability()).containsEntry(LISTEN, Reachability.PRIVATE);
    }

    @Test
    void anAddressThatIsNoLongerACandidateIsForgotten() {
        answers.put(MAPPED, Reachability.PUBLIC);
        onLoop(() -> tracker.observed().record(MAPPED, address("198.51.100.1"), 0));
        onLoop(() -> tracker.observed().record(MAPPED, address("198.51.100.2"), 0));
        server();
        server();
        settle();
        assertThat(swarm.externalAddresses()).containsExactly(MAPPED);

        clock.addAndGet(ObservedAddresses.TTL_NANOS + 1);
        settle();
        assertThat(swarm.externalAddresses()).isEmpty();
        assertThat(swarm.peerStore().reachability()).doesNotContainKey(MAPPED);
    }

    private void closeOnEnd(AutoCloseable c) {
        toClose.add(c);
    }

    private static InetAddress address(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The swarm, with one scripted listen address. */
    private static final class Context implements ProtocolContext {
        private final Swarm swarm;

        Context(Swarm swarm) {
            this.swarm = swarm;
        }

        @Override public PeerId localPeer() { return swarm.localPeer(); }
        @Override public PrivKey privateKey() { return swarm.privateKey(); }
        @Override public List<Multiaddr> listenAddresses() { return List.of(LISTEN); }
        @Override public List<Multiaddr> externalAddresses() { return swarm.externalAddresses(); }
        @Override public boolean addExternalAddress(Multiaddr a) { return swarm.addExternalAddress(a); }
        @Override public boolean removeExternalAddress(Multiaddr a) { return swarm.removeExternalAddress(a); }
        @Override public List<String> protocolIds() { return swarm.protocolIds(); }
        @Override public PeerStore peerStore() { return swarm.peerStore(); }
        @Override public List<Connection> connections(PeerId peer) { return swarm.connections(peer); }
        @Override public CompletableFuture<Connection> dial(Multiaddr a, boolean f) { return swarm.dial(a, f); }
        @Override public CompletableFuture<Connection> dial(PeerId p, boolean f) { return swarm.dial(p, f); }
        @Override public CompletableFuture<StreamChannel> newStream(PeerId p, String... ids) { return swarm.newStream(p, ids); }
        @Override public CompletableFuture<StreamChannel> newStream(PeerId p, ChannelHandler h, String... ids) {
            return swarm.newStream(p, h, ids);
        }
        @Override public void publish(SwarmEvent event) { swarm.publish(event); }
        @Override public EventExecutor executor() { return swarm.executor(); }
        @Override public CompletableFuture<Connection> dialAsResponder(Multiaddr a) { return swarm.dialAsResponder(a); }
    }
}
