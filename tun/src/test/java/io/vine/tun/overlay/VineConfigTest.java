package io.vine.tun.overlay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vine.core.crypto.Keys;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.peer.PeerId;
import io.vine.tun.IpPrefix;
import io.vine.tun.MemoryTunDevice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VineConfigTest {
    private static final PeerId A = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
    private static final PeerId B = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
    private static final PeerId C = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());

    private static VineConfig.Builder valid() {
        return VineConfig.builder("net-1").tunAddress("10.42.1.1/16").localPrefix("10.42.1.0/24")
                .peer(A, "10.42.2.0/24", true).peer(B, "10.42.3.0/24", false);
    }

    private static void refused(UnaryOperator<VineConfig.Builder> change, String message) {
        assertThatThrownBy(() -> change.apply(valid()).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void aValidConfigKeepsItsFields() {
        VineConfig c = valid().bootstrap(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001/p2p/" + A)).build();
        assertThat(c.localPrefix()).isEqualTo(IpPrefix.parse("10.42.1.0/24"));
        assertThat(c.entry(A)).map(PeerEntry::relay).contains(true);
        assertThat(c.strictAllowlist()).isTrue();
        assertThat(c.signalingUpgrade()).isTrue();
        assertThat(valid().signalingUpgrade(false).build().signalingUpgrade()).isFalse();
        assertThat(c.tunConfig().addresses()).containsExactly(IpPrefix.parse("10.42.1.1/16"));
        assertThat(c.tunConfig().mtu()).isEqualTo(1420);
        assertThat(VineConfig.builder("n").tunAddress("10.42.5.1/24").build().localPrefix())
                .isEqualTo(IpPrefix.parse("10.42.5.0/24"));
    }

    @Test
    void everyInvalidFieldIsNamed() {
        refused(b -> VineConfig.builder("bad id!").tunAddress("10.42.1.1/16"),
                "networkId: 'bad id!' (expected: 1 to 64 characters of A-Z a-z 0-9 . _ -)");
        refused(b -> VineConfig.builder("n"),
                "tunAddress: not set (expected: the device address with prefix length, e.g. 10.42.1.1/16)");
        refused(b -> b.localPrefix("10.43.0.0/24"), "localPrefix: 10.43.0.0/24 (expected: a prefix that contains tunAddress 10.42.1.1)");
        refused(b -> b.mtu(10), "mtu: 10 (expected: 68..65535)");
        refused(b -> b.tunName("much-too-long-name"), "tunName: 'much-too-long-name' (expected: 1 to 15 bytes without '/', ':', '%' or whitespace)");
        refused(b -> b.queues(0), "queues: 0 (expected: 1..256)");
        refused(b -> b.peer(A, "10.42.9.0/24", false), "allowlist[2].peer: " + A + " (expected: each peer once)");
        refused(b -> b.peer(C, "10.42.3.128/25", false),
                "allowlist[2].prefix: 10.42.3.128/25 overlaps allowlist[1].prefix 10.42.3.0/24 (expected: disjoint prefixes)");
        refused(b -> b.peer(C, "10.42.0.0/16", false),
                "allowlist[2].prefix: 10.42.0.0/16 overlaps localPrefix 10.42.1.0/24 (expected: disjoint prefixes)");
        refused(b -> b.bootstrap(Multiaddr.parse("/ip4/127.0.0.1/tcp/1")),
                "bootstrap[0]: /ip4/127.0.0.1/tcp/1 (expected: an address ending in /p2p/<id> of an allowlisted peer)");
        refused(b -> b.bootstrap(Multiaddr.parse("/ip4/127.0.0.1/tcp/1/p2p/" + C)),
                "bootstrap[0]: /ip4/127.0.0.1/tcp/1/p2p/" + C + " (expected: an address ending in /p2p/<id> of an allowlisted peer)");
        refused(b -> b.seed(new SeedRecord(C, List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/1")))),
                "seeds[0].peer: " + C + " (expected: an allowlisted peer)");
        refused(b -> b.seed(new SeedRecord(A, List.of())), "seeds[0].addresses: empty (expected: at least one address)");
        refused(b -> b.keepalive(Duration.ofSeconds(5), Duration.ofSeconds(5)),
                "keepaliveTimeout: PT5S (expected: > keepaliveInterval PT5S)");
        refused(b -> b.keepalive(Duration.ZERO, Duration.ofSeconds(5)), "keepaliveInterval: PT0S (expected: > 0)");
        refused(b -> b.redial(Duration.ofSeconds(2), Duration.ofSeconds(1)), "redialMax: PT1S (expected: >= redialMin PT2S)");
        assertThatThrownBy(() -> IdentitySource.seed(new byte[31])).hasMessage("identity seed: 31 bytes (expected: 32)");
    }

    @Test
    void theLocalEntryMustBeTheLocalPeer(@TempDir Path dir) {
        Path keyFile = dir.resolve("node.key");
        VineConfig ok = valid().identity(IdentitySource.file(keyFile)).peer(C, "10.42.1.0/24", false).build();
        VineNode node = VineNode.builder(ok).device(c -> MemoryTunDevice.pair(c).device()).build();
        assertThatThrownBy(node::init).isInstanceOf(OverlayException.class)
                .hasMessageStartingWith("allowlist[2]: " + C + " owns 10.42.1.0/24 (expected: the local peer ");
        assertThat(Files.exists(keyFile)).isTrue();
    }

    @Test
    void aSeedGivesTheSamePeerEveryTime() {
        byte[] seed = new byte[32];
        seed[0] = 7;
        assertThat(IdentitySource.seed(seed).load().publicKey()).isEqualTo(IdentitySource.seed(seed).load().publicKey());
    }
}
