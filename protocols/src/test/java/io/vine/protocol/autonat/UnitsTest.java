package io.vine.protocol.autonat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vine.core.multiaddr.Multiaddr;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Address rules, observed-address bookkeeping and config validation. */
class UnitsTest {
    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void testableAddresses() {
        assertThat(Addresses.testable(Multiaddr.parse("/ip4/203.0.113.5/tcp/1"), false)).isTrue();
        assertThat(Addresses.testable(Multiaddr.parse("/ip6/2001:db8::1/tcp/1"), false)).isTrue();
        for (String a : List.of("/ip4/127.0.0.1/tcp/1", "/ip4/10.1.2.3/tcp/1", "/ip4/192.168.0.1/tcp/1",
                "/ip4/172.16.0.1/tcp/1", "/ip4/100.64.0.1/tcp/1", "/ip4/169.254.1.1/tcp/1", "/ip6/::1/tcp/1",
                "/ip6/fd00::1/tcp/1", "/ip6/fe80::1/tcp/1")) {
            assertThat(Addresses.testable(Multiaddr.parse(a), false)).as(a).isFalse();
        }
        assertThat(Addresses.testable(Multiaddr.parse("/ip4/127.0.0.1/tcp/1"), true)).isTrue();
        assertThat(Addresses.testable(Multiaddr.parse("/ip4/0.0.0.0/tcp/1"), true)).isFalse();
        assertThat(Addresses.testable(Multiaddr.parse("/ip4/203.0.113.5"), true)).isFalse();
        assertThat(Addresses.testable(Multiaddr.parse("/dns/example.com/tcp/1"), true)).isFalse();
        assertThat(Addresses.testable(Multiaddr.parse("/memory/3"), true)).isFalse();
        assertThat(Addresses.testable(Multiaddr.parse("/ip4/203.0.113.5/tcp/1/p2p-circuit"), true)).isFalse();
    }

    @Test
    void sameTransportComparesProtocolsNotValues() {
        assertThat(Addresses.sameTransport(Multiaddr.parse("/ip4/1.2.3.4/tcp/1"), Multiaddr.parse("/ip4/5.6.7.8/tcp/2")))
                .isTrue();
        assertThat(Addresses.sameTransport(Multiaddr.parse("/ip4/1.2.3.4/tcp/1"), Multiaddr.parse("/ip6/::1/tcp/1")))
                .isFalse();
        assertThat(Addresses.sameTransport(Multiaddr.parse("/ip4/1.2.3.4/tcp/1"), Multiaddr.parse("/ip4/1.2.3.4/udp/1")))
                .isFalse();
    }

    @Test
    void observedAddressNeedsDistinctObserverGroups() throws Exception {
        ObservedAddresses o = new ObservedAddresses();
        Multiaddr mapped = Multiaddr.parse("/ip4/203.0.113.5/tcp/4001");
        o.record(mapped, ip("198.51.100.1"), 0);
        o.record(mapped, ip("198.51.100.1"), 1);
        assertThat(o.confirmed(2, 2)).isEmpty();
        o.record(mapped, ip("2001:db8:1:1::1"), 3);
        o.record(mapped, ip("2001:db8:1:1::2"), 4); // the same /56
        assertThat(o.confirmed(2, 5)).containsExactly(mapped);
        assertThat(o.confirmed(3, 5)).isEmpty();
        o.record(mapped, ip("2001:db8:1:200::1"), 6); // another /56
        assertThat(o.confirmed(3, 7)).containsExactly(mapped);
        // Reports expire.
        assertThat(o.confirmed(1, 7 + ObservedAddresses.TTL_NANOS)).isEmpty();
        assertThat(o.size()).isZero();
    }

    @Test
    void observedAddressesStayBounded() throws Exception {
        ObservedAddresses o = new ObservedAddresses();
        for (int i = 0; i < 100; i++) {
            o.record(Multiaddr.parse("/ip4/203.0.113." + i + "/tcp/1"), ip("198.51.100." + i), i);
        }
        assertThat(o.size()).isEqualTo(ObservedAddresses.MAX_ADDRESSES);
        Multiaddr a = Multiaddr.parse("/ip4/203.0.113.250/tcp/1");
        for (int i = 0; i < 100; i++) {
            o.record(a, ip("198.51.100." + i), 200 + i);
        }
        assertThat(o.confirmed(ObservedAddresses.MAX_OBSERVERS, 400)).containsExactly(a);
        assertThat(o.confirmed(ObservedAddresses.MAX_OBSERVERS + 1, 400)).isEmpty();
    }

    @Test
    void configValidation() {
        assertThatThrownBy(() -> AutoNatConfig.builder().dialDataBytes(0).build())
                .hasMessage("dialDataBytes: 0 (expected: 1..1048576)");
        assertThatThrownBy(() -> AutoNatConfig.builder().confirmations(0).build())
                .hasMessage("confirmations: 0 (expected: 1..32)");
        assertThatThrownBy(() -> AutoNatConfig.builder().dialTimeout(java.time.Duration.ZERO).build())
                .hasMessage("dialTimeout: PT0S (expected: > 0)");
        assertThat(AutoNatConfig.DEFAULT.toBuilder().build()).isEqualTo(AutoNatConfig.DEFAULT);
    }

    @Test
    void pendingChecksAreBounded() {
        PendingChecks p = new PendingChecks();
        for (int i = 0; i < PendingChecks.MAX_PENDING; i++) {
            assertThat(p.open(List.of(Multiaddr.parse("/ip4/203.0.113.5/tcp/1")))).isPresent();
        }
        assertThat(p.open(List.of(Multiaddr.parse("/ip4/203.0.113.5/tcp/1")))).isEmpty();
    }
}
