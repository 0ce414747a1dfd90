package io.vine.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.util.concurrent.DefaultEventExecutor;
import io.vine.core.crypto.Keys;
import io.vine.core.crypto.PrivKey;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.peer.PeerId;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DefaultPeerStoreTest {
    private final DefaultEventExecutor executor = new DefaultEventExecutor();
    private final DefaultPeerStore store = new DefaultPeerStore(new SwarmLoop(executor), 3, 2);

    @AfterEach
    void stop() {
        executor.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static PeerId peer() {
        return PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
    }

    private static Multiaddr tcp(int port) {
        return Multiaddr.parse("/ip4/10.0.0.1/tcp/" + port);
    }

    @Test
    void addressesAreNewestFirstBoundedAndStripOfTheirPeerId() {
        PeerId p = peer();
        store.addAddresses(p, List.of(tcp(1)), Duration.ofHours(1));
        store.addAddresses(p, List.of(tcp(2).withPeerId(p)), Duration.ofHours(1));
        store.addAddresses(p, List.of(tcp(3)), Duration.ofHours(1));

        assertThat(store.addresses(p)).containsExactly(tcp(3), tcp(2));
    }

    @Test
    void expiredAddressesAreNotReturned() throws InterruptedException {
        PeerId p = peer();
        store.addAddresses(p, List.of(tcp(1)), Duration.ofMillis(20));
        store.addAddresses(p, List.of(tcp(2)), Duration.ofHours(1));
        Thread.sleep(50);

        assertThat(store.addresses(p)).containsExactly(tcp(2));
    }

    @Test
    void replaceDropsWhatWasThere() {
        PeerId p = peer();
        store.addAddresses(p, List.of(tcp(1)), Duration.ofHours(1));
        store.replaceAddresses(p, List.of(tcp(9)), Duration.ofHours(1));

        assertThat(store.addresses(p)).containsExactly(tcp(9));
    }

    @Test
    void theLeastRecentlyUsedPeerIsForgottenPastTheLimit() {
        PeerId a = peer(), b = peer(), c = peer(), d = peer();
        for (PeerId p : List.of(a, b, c)) {
            store.setAgentVersion(p, "x");
        }
        store.setAgentVersion(a, "touched");
        store.setAgentVersion(d, "new");

        assertThat(store.peers()).containsExactlyInAnyOrder(a, c, d);
    }

    @Test
    void latencyIsAMovingAverage() {
        PeerId p = peer();
        store.recordLatency(p, Duration.ofMillis(80));
        store.recordLatency(p, Duration.ofMillis(160));

        assertThat(store.latency(p)).contains(Duration.ofMillis(90));
    }

    @Test
    void aPublicKeyMustBelongToThePeer() {
        PrivKey key = Keys.generateEd25519();
        PeerId owner = PeerId.fromPublicKey(key.publicKey());
        assertThatThrownBy(() -> store.setPublicKey(peer(), key.publicKey())).isInstanceOf(IllegalArgumentException.class);

        store.setPublicKey(owner, key.publicKey());
        assertThat(store.publicKey(owner)).contains(key.publicKey());
    }

    @Test
    void observedAddressesAreRankedAndANewOneAlwaysGetsIn() {
        PeerId reporter = peer();
        Multiaddr popular = tcp(4001);
        for (int i = 0; i < 3; i++) {
            store.addObservedAddress(popular, reporter);
        }
        for (int port = 1; port <= 20; port++) {
            store.addObservedAddress(tcp(port), reporter);
        }

        List<Multiaddr> observed = store.observedAddresses();
        assertThat(observed).hasSize(16).startsWith(popular).contains(tcp(20));
    }

    @Test
    void everythingAboutAPeerAsOneValue() {
        PeerId p = peer();
        store.addAddresses(p, List.of(tcp(1)), Duration.ofHours(1));
        store.setProtocols(p, List.of("/ipfs/ping/1.0.0"));
        store.setProtocolVersion(p, "ipfs/0.1.0");

        var info = store.peer(p).orElseThrow();
        assertThat(info.addresses()).containsExactly(tcp(1));
        assertThat(info.protocols()).containsExactly("/ipfs/ping/1.0.0");
        assertThat(info.protocolVersion()).contains("ipfs/0.1.0");
        assertThat(info.agentVersion()).isEmpty();
        assertThat(store.peer(peer())).isEmpty();
    }

    @Test
    void reachabilityOfOwnAddressesIsRecordedForgottenAndBounded() {
        PeerId self = peer();
        store.setReachability(tcp(1).withPeerId(self), io.vine.core.Reachability.PUBLIC);
        store.setReachability(tcp(2), io.vine.core.Reachability.PRIVATE);
        assertThat(store.reachability()).containsExactly(
                java.util.Map.entry(tcp(1), io.vine.core.Reachability.PUBLIC),
                java.util.Map.entry(tcp(2), io.vine.core.Reachability.PRIVATE));
        store.setReachability(tcp(1), io.vine.core.Reachability.UNKNOWN);
        assertThat(store.reachability()).containsOnlyKeys(tcp(2));
        for (int port = 100; port < 200; port++) {
            store.setReachability(tcp(port), io.vine.core.Reachability.PUBLIC);
        }
        assertThat(store.reachability()).hasSize(64).containsKey(tcp(199)).doesNotContainKey(tcp(2));
        assertThatThrownBy(() -> store.reachability().put(tcp(3), io.vine.core.Reachability.PUBLIC))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
