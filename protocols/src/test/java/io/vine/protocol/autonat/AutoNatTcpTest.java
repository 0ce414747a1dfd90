package io.vine.protocol.autonat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vine.core.Protocol;
import io.vine.core.Reachability;
import io.vine.core.SwarmEvent;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.protocol.identify.Identify;
import io.vine.swarm.Swarm;
import io.vine.testkit.TestSwarms;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * AutoNAT v2 between swarms over TCP on loopback (private addresses allowed, one confirmation
 * enough). 127.0.0.2 stands for "another IP": Linux routes all of 127/8 to lo, and a connection to
 * 127.0.0.1 comes from 127.0.0.1.
 */
class AutoNatTcpTest {
    static final AutoNatConfig SERVER = AutoNatConfig.builder().client(false).allowPrivateAddresses(true)
            .dialTimeout(Duration.ofSeconds(5)).build();
    static final AutoNatConfig CLIENT = AutoNatConfig.builder().server(false).allowPrivateAddresses(true)
            .confirmations(1).checkInterval(Duration.ofMillis(100)).build();

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables.reversed()) {
            c.close();
        }
    }

    private Swarm tcp(Protocol... protocols) {
        Swarm s = TestSwarms.tcp(protocols);
        closeables.add(s);
        return s;
    }

    private <T extends SwarmEvent> BlockingQueue<T> events(Swarm swarm, Class<T> type) {
        BlockingQueue<T> q = new LinkedBlockingQueue<>();
        closeables.add(swarm.subscribe(e -> {
            if (type.isInstance(e)) {
                q.add(type.cast(e));
            }
        }));
        return q;
    }

    private static AutoNat autonat(Swarm s) {
        return s.protocol(AutoNat.class).orElseThrow();
    }

    private static DialResult check(Swarm client, Swarm server, Multiaddr address) {
        return autonat(client).check(server.localPeer(), List.of(address)).orTimeout(20, TimeUnit.SECONDS).join();
    }

    static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    @Test
    void clientLearnsItsListenAddressIsPublic() throws Exception {
        Swarm server = tcp(new Identify(), new AutoNat(SERVER));
        Swarm client = tcp(new Identify(), new AutoNat(CLIENT));
        BlockingQueue<ReachabilityChanged> changes = events(client, ReachabilityChanged.class);
        Multiaddr listen = client.listenAddresses().getFirst();

        TestSwarms.connect(client, server);
        ReachabilityChanged change = changes.poll(20, TimeUnit.SECONDS);

        assertThat(change).isEqualTo(new ReachabilityChanged(listen, Reachability.PUBLIC));
        assertThat(client.peerStore().reachability()).containsEntry(listen, Reachability.PUBLIC);
        assertThat(autonat(client).reachability()).containsEntry(listen, Reachability.PUBLIC);
        // A listen address is advertised already: it does not become an external address.
        assertThat(client.externalAddresses()).isEmpty();
        // The dial-back used its own connection, which the server closed again.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.connections(client.localPeer()).size() > 1 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(server.connections(client.localPeer())).hasSize(1);
        assertThat(autonat(server).activeRequests()).isZero();
    }

    @Test
    void addressNobodyListensOnIsPrivate() throws Exception {
        Swarm server = tcp(new Identify(), new AutoNat(SERVER));
        Swarm client = tcp(new Identify(), new AutoNat(CLIENT.toBuilder().client(false).build()));
        TestSwarms.connect(client, server);
        Multiaddr closed = Multiaddr.parse("/ip4/127.0.0.1/tcp/" + closedPort());

        DialResult r = check(client, server, closed);

        assertThat(r.status()).isEqualTo(DialResult.Status.OK);
        assertThat(r.address()).contains(closed);
        assertThat(r.reachability()).isEqualTo(Reachability.PRIVATE);
    }

    @Test
    void serverDialsTheFirstAddressItAccepts() throws Exception {
        Swarm server = tcp(new Identify(), new AutoNat(SERVER));
        Swarm client = tcp(new Identify(), new AutoNat(CLIENT.toBuilder().client(false).build()));
        TestSwarms.connect(client, server);
        Multiaddr listen = client.listenAddresses().getFirst();

        DialResult r = autonat(client).check(server.localPeer(),
                List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/1/p2p-circuit"), listen))
                .orTimeout(20, TimeUnit.SECONDS).join();

        assertThat(r.address()).contains(listen);
        assertThat(r.reachability()).isEqualTo(Reachability.PUBLIC);
    }

    @Test
    void anotherIpIsDialedOnlyAfterDialData() throws Exception {
        Swarm server = tcp(new Identify(), new AutoNat(SERVER));
        Swarm client = tcp(new Identify(), new AutoNat(CLIENT.toBuilder().client(false).build()));
        Multiaddr other = client.listen(Multiaddr.parse("/ip4/127.0.0.2/tcp/0")).get(10, TimeUnit.SECONDS);
        TestSwarms.connect(client, server);

        DialResult r = check(client, server, other);

        assertThat(r.address()).contains(other);
        assertThat(r.reachability()).isEqualTo(Reachability.PUBLIC);
    }

    @Test
    void clientThatWillNotPayGetsNoDialToAThirdParty() throws Exception {
        Swarm server = tcp(new Identify(), new AutoNat(SERVER));
        Swarm client = tcp(new Identify(), new AutoNat(CLIENT.toBuilder().client(false).maxDialDataBytes(0).build()));
        Swarm victim = TestSwarms.tcp(b -> {});
        closeables.add(victim);
        Multiaddr victimAddress = victim.listen(Multiaddr.parse("/ip4/127.0.0.2/tcp/0")).get(10, TimeUnit.SECONDS);
        BlockingQueue<SwarmEvent> atVictim = events(victim, SwarmEvent.class);
        TestSwarms.connect(client, server);

        assertThatThrownBy(() -> check(client, server, victimAddress))
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(AutoNatException.class)
                .hasMessageContaining("asks for 30000 bytes");

        Thread.sleep(300);
        assertThat(atVictim).noneMatch(e -> e instanceof SwarmEvent.ConnectionOpened
                || e instanceof SwarmEvent.InboundFailed);
        assertThat(autonat(server).activeRequests()).isZero();
    }

    @Test
    void paidDialToAThirdPartyFailsItsHandshake() throws Exception {
        Swarm server = tcp(new Identify(), new AutoNat(SERVER));
        Swarm client = tcp(new Identify(), new AutoNat(CLIENT.toBuilder().client(false).build()));
        Swarm victim = TestSwarms.tcp(b -> {});
        closeables.add(victim);
        Multiaddr victimAddress = victim.listen(Multiaddr.parse("/ip4/127.0.0.2/tcp/0")).get(10, TimeUnit.SECONDS);
        TestSwarms.connect(client, server);

        // The server dials with the client's /p2p: the victim is not the client, so no dial-back.
        DialResult r = check(client, server, victimAddress);

        assertThat(r.reachability()).isEqualTo(Reachability.PRIVATE);
        assertThat(victim.connections()).isEmpty();
    }

    @Test
    void perPeerRateLimitRejectsOverTheWire() throws Exception {
        Swarm server = tcp(new Identify(), new AutoNat(SERVER.toBuilder().requestsPerPeerPerMinute(1).build()));
        Swarm client = tcp(new Identify(), new AutoNat(CLIENT.toBuilder().client(false).build()));
        TestSwarms.connect(client, server);
        Multiaddr listen = client.listenAddresses().getFirst();

        assertThat(check(client, server, listen).reachability()).isEqualTo(Reachability.PUBLIC);
        DialResult second = check(client, server, listen);

        assertThat(second.status()).isEqualTo(DialResult.Status.REQUEST_REJECTED);
        assertThat(second.reachability()).isEqualTo(Reachability.UNKNOWN);
    }

    @Test
    void serverWithoutAutoNatIsAnError() {
        Swarm server = tcp(new Identify());
        Swarm client = tcp(new Identify(), new AutoNat(CLIENT.toBuilder().client(false).build()));
        TestSwarms.connect(client, server);

        assertThatThrownBy(() -> check(client, server, client.listenAddresses().getFirst()))
                .isInstanceOf(CompletionException.class);
    }
}
