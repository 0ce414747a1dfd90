package io.vine.core.multiaddr;

import static io.vine.core.multiaddr.MultiaddrProtocol.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vine.core.peer.PeerId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultiaddrTest {
    private static final String ID = "12D3KooWCryG7Mon9orvQxcS1rYZjotPgpwoJNHHKcLLfE4Hf5mV";
    private static final String OTHER = "QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC";

    private static Multiaddr m(String text) {
        return Multiaddr.parse(text);
    }

    @Test
    void componentsAndValues() {
        Multiaddr a = m("/dns4/example.com/tcp/443/tls/sni/example.com/ws/p2p/" + ID);
        assertThat(a.components()).extracting(Component::protocol).containsExactly(DNS4, TCP, TLS, SNI, WS, P2P);
        assertThat(a.components().get(1).valueText()).isEqualTo("443");
        assertThat(a.components().get(1).value()).containsExactly(0x01, 0xbb);
        assertThat(a.components().get(2).toString()).isEqualTo("/tls");
        assertThat(a.value(TCP)).contains("443");
        assertThat(a.value(TLS)).contains("");
        assertThat(a.value(UDP)).isEmpty();
        assertThat(a.has(WS)).isTrue();
        assertThat(a.has(WSS)).isFalse();
        assertThat(a.peerId()).contains(PeerId.parse(ID));
    }

    @Test
    void protocolTable() {
        assertThat(MEMORY.code()).isEqualTo(0x309);
        assertThat(MEMORY.size()).isEqualTo(64);
        assertThat(P2P.size()).isEqualTo(MultiaddrProtocol.VARIABLE);
        assertThat(QUIC_V1.size()).isZero();
        assertThat(QUIC_V1.hasValue()).isFalse();
        assertThat(MultiaddrProtocol.byName("ipfs")).contains(P2P);
        assertThat(MultiaddrProtocol.byName("quic-v1")).contains(QUIC_V1);
        assertThat(MultiaddrProtocol.byCode(0x0111)).contains(UDP);
        assertThat(MultiaddrProtocol.byCode(-1)).isEmpty();
        assertThat(UNIX.isPath()).isTrue();
    }

    @Test
    void memoryIsBigEndianUint64() {
        Multiaddr a = m("/memory/18446744073709551615");
        assertThat(HexFormat.of().formatHex(a.toBytes())).isEqualTo("8906ffffffffffffffff");
        assertThat(m("/memory/4").toBytes()).containsExactly(0x89, 0x06, 0, 0, 0, 0, 0, 0, 0, 4);
        assertThat(Multiaddr.fromBytes(a.toBytes()).toString()).isEqualTo("/memory/18446744073709551615");
        assertThatThrownBy(() -> m("/memory/18446744073709551616")).isInstanceOf(MultiaddrFormatException.class);
        assertThatThrownBy(() -> m("/memory/-1")).isInstanceOf(MultiaddrFormatException.class);
    }

    @Test
    void encapsulateAndDecapsulate() {
        Multiaddr base = m("/ip4/1.2.3.4/tcp/80");
        Multiaddr ws = base.encapsulate(m("/ws"));
        assertThat(ws.toString()).isEqualTo("/ip4/1.2.3.4/tcp/80/ws");
        assertThat(ws.decapsulate(TCP)).isEqualTo(m("/ip4/1.2.3.4"));
        assertThat(ws.decapsulate(UDP)).isSameAs(ws);
        assertThat(ws.decapsulate(IP4).isEmpty()).isTrue();
        assertThat(ws.decapsulate(IP4).toString()).isEmpty();
        Multiaddr twice = m("/ip4/1.2.3.4/udp/1/ip4/5.6.7.8/udp/2/quic-v1");
        assertThat(twice.decapsulate(UDP).toString()).isEqualTo("/ip4/1.2.3.4/udp/1/ip4/5.6.7.8");
        assertThat(m("/ip4/1.2.3.5/udp/1234/quic-v1").decapsulate(m("/udp/1234"))).isEqualTo(m("/ip4/1.2.3.5"));
        assertThat(m("/ip4/1.2.3.5/tcp/1234").decapsulate(m("/ip4/5.3.2.1"))).isEqualTo(m("/ip4/1.2.3.5/tcp/1234"));
        assertThat(m("/ip4/1.2.3.4").decapsulate(m("/ip4/1.2.3.4/tcp/1234"))).isEqualTo(m("/ip4/1.2.3.4"));
        assertThatThrownBy(() -> m("/unix/a").encapsulate(m("/ws")))
                .isInstanceOf(MultiaddrFormatException.class).hasMessageContaining("last component");
    }

    @Test
    void peerIdHelpers() {
        PeerId id = PeerId.parse(ID);
        PeerId other = PeerId.parse(OTHER);
        Multiaddr relay = m("/ip4/1.2.3.4/tcp/1/p2p/" + OTHER + "/p2p-circuit");
        assertThat(relay.peerId()).contains(other);
        Multiaddr circuit = relay.withPeerId(id);
        assertThat(circuit.toString()).isEqualTo("/ip4/1.2.3.4/tcp/1/p2p/" + OTHER + "/p2p-circuit/p2p/" + ID);
        assertThat(circuit.peerId()).contains(id);
        assertThat(circuit.withoutPeerId()).isEqualTo(relay);
        assertThat(relay.withoutPeerId()).isSameAs(relay);
        assertThat(circuit.withPeerId(other).peerId()).contains(other);
        assertThat(m("/ip4/1.2.3.4/tcp/1").peerId()).isEmpty();
    }

    @Test
    void socketAddresses() throws Exception {
        InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 4001);
        assertThat(Multiaddr.fromSocketAddress(v4, "tcp").toString()).isEqualTo("/ip4/127.0.0.1/tcp/4001");
        assertThat(m("/ip4/127.0.0.1/tcp/4001/p2p/" + ID).toSocketAddress()).contains(v4);
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("::1"), 9);
        assertThat(Multiaddr.fromSocketAddress(v6, "udp").toString()).isEqualTo("/ip6/::1/udp/9");
        assertThat(m("/ip6/::1/udp/9/quic-v1").toSocketAddress()).contains(v6);
        InetSocketAddress unresolved = InetSocketAddress.createUnresolved("example.com", 443);
        assertThat(Multiaddr.fromSocketAddress(unresolved, "tcp").toString()).isEqualTo("/dns/example.com/tcp/443");
        InetSocketAddress fromDns = m("/dns4/example.com/tcp/443/wss").toSocketAddress().orElseThrow();
        assertThat(fromDns.isUnresolved()).isTrue();
        assertThat(fromDns.getHostString()).isEqualTo("example.com");
        assertThat(fromDns.getPort()).isEqualTo(443);
        assertThat(m("/dnsaddr/example.com").toSocketAddress()).isEmpty();
        assertThat(m("/ip4/1.2.3.4").toSocketAddress()).isEmpty();
        assertThat(m("/memory/1").toSocketAddress()).isEmpty();
        assertThatThrownBy(() -> Multiaddr.fromSocketAddress(v4, "sctp")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unixPathsInBothTextForms() {
        assertThat(m("/unix/tmp/p2p.sock").components().get(0).value())
                .isEqualTo("/tmp/p2p.sock".getBytes());
        assertThat(m("/unix/%2Ftmp%2Fp2p.sock")).isEqualTo(m("/unix/tmp/p2p.sock"));
        assertThat(m("/ip4/1.2.3.4/tcp/80/unix/a/b").toString()).isEqualTo("/ip4/1.2.3.4/tcp/80/unix/a/b");
    }

    @Test
    void clearMessages() {
        assertThatThrownBy(() -> m("/ip4/127.0.0.1/quic/1234"))
                .hasMessage("multiaddr '/ip4/127.0.0.1/quic/1234': unknown protocol '1234'");
        assertThatThrownBy(() -> m("/tcp/65536"))
                .hasMessage("multiaddr '/tcp/65536': invalid tcp value: '65536' (expected: 0..65535)");
        assertThatThrownBy(() -> m("/ip4"))
                .hasMessage("multiaddr '/ip4': missing value after /ip4");
        assertThatThrownBy(() -> m("ip4/1.2.3.4")).hasMessageContaining("must begin with '/'");
        assertThatThrownBy(() -> m("/ip4/01.2.3.4")).hasMessageContaining("invalid ip4 value");
        assertThatThrownBy(() -> m("/ip6/[::1]")).hasMessageContaining("invalid ip6 value");
        assertThatThrownBy(() -> m("/ip6/fe80::1%eth0")).hasMessageContaining("invalid ip6 value");
    }

    @Test
    void boundsOnTextBytesAndComponents() {
        String many = "/tcp/1".repeat(Multiaddr.MAX_COMPONENTS);
        assertThat(m(many).components()).hasSize(Multiaddr.MAX_COMPONENTS);
        assertThatThrownBy(() -> m(many + "/ws")).hasMessageContaining("more than 32 components");
        assertThatThrownBy(() -> m("/dns/" + "a".repeat(1020))).hasMessageContaining("(expected: <= 1024)");
        byte[] tooMany = new byte[2 * 33];
        for (int i = 0; i < 33; i++) {
            tooMany[2 * i] = (byte) 0xdd;
            tooMany[2 * i + 1] = 0x03;
        }
        assertThatThrownBy(() -> Multiaddr.fromBytes(tooMany)).hasMessageContaining("more than 32 components");
        assertThatThrownBy(() -> Multiaddr.fromBytes(new byte[1025])).hasMessageContaining("1025 bytes");
        List<Component> big = java.util.Collections.nCopies(33, Component.of(WS));
        assertThatThrownBy(() -> Multiaddr.of(big)).isInstanceOf(MultiaddrFormatException.class);
    }

    @Test
    void mutatedBinaryFailsWithTypedErrors() {
        HexFormat hex = HexFormat.of();
        assertThatThrownBy(() -> Multiaddr.fromBytes(new byte[0])).hasMessageContaining("empty");
        assertThatThrownBy(() -> Multiaddr.fromBytes(hex.parseHex("047f0000"))).hasMessageContaining("truncated ip4");
        assertThatThrownBy(() -> Multiaddr.fromBytes(hex.parseHex("ff7f"))).hasMessageContaining("unknown protocol code 0x3fff");
        assertThatThrownBy(() -> Multiaddr.fromBytes(hex.parseHex("8400"))).hasMessageContaining("not minimally encoded");
        assertThatThrownBy(() -> Multiaddr.fromBytes(hex.parseHex("3580"))).hasMessageContaining("dns value length");
        assertThatThrownBy(() -> Multiaddr.fromBytes(hex.parseHex("35ffffffffffffffff7f")))
                .hasMessageContaining("dns value of 9223372036854775807 bytes but 0 remain");
        assertThatThrownBy(() -> Multiaddr.fromBytes(hex.parseHex("3500"))).hasMessageContaining("invalid dns value");
        assertThatThrownBy(() -> Multiaddr.fromBytes(hex.parseHex("3501ff"))).hasMessageContaining("not UTF-8");
        // /unix/a followed by /ws: a path component must be last.
        assertThatThrownBy(() -> Multiaddr.fromBytes(hex.parseHex("900302" + "2f61" + "dd03")))
                .hasMessageContaining("after the path component");
    }

    @Test
    void randomBytesOnlyEverGiveTypedErrors() {
        Random random = new Random(7);
        byte[] valid = m("/ip4/1.2.3.4/tcp/80/p2p/" + ID + "/p2p-circuit/certhash/uEiDDq4_xNyDorZBH3TlGazyJdOWSwvo4PUo5YHFMrvDE8g").toBytes();
        for (int i = 0; i < 20_000; i++) {
            byte[] b = i % 2 == 0 ? new byte[random.nextInt(40)] : Arrays.copyOf(valid, random.nextInt(valid.length + 1));
            if (i % 2 == 0) {
                random.nextBytes(b);
            } else if (b.length > 0) {
                b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
            }
            try {
                Multiaddr a = Multiaddr.fromBytes(b);
                assertThat(Multiaddr.parse(a.toString())).isEqualTo(a);
            } catch (MultiaddrFormatException expected) {
                // fine
            }
        }
    }

    @Test
    void componentIsAValueType() {
        byte[] raw = {0x00, 0x50};
        Component c = new Component(TCP, raw);
        raw[1] = 0;
        assertThat(c.valueText()).isEqualTo("80");
        assertThat(c).isEqualTo(Component.of(TCP, "80")).hasSameHashCodeAs(Component.of(TCP, "80"));
        assertThat(c.toString()).isEqualTo("/tcp/80");
        assertThatThrownBy(() -> new Component(TCP, new byte[3])).hasMessageContaining("3 value bytes (expected: 2)");
        assertThatThrownBy(() -> Component.of(WS, "x")).isInstanceOf(MultiaddrFormatException.class);
        assertThat(Component.of(WS).toString()).isEqualTo("/ws");
    }
}
