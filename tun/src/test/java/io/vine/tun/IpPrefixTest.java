package io.vine.tun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class IpPrefixTest {
    @Test
    void parsesAndPrints() {
        assertThat(IpPrefix.parse("10.99.0.1/24")).hasToString("10.99.0.1/24");
        assertThat(IpPrefix.parse("10.99.0.1")).hasToString("10.99.0.1/32");
        assertThat(IpPrefix.parse("fd00:99::1/64").toString()).isEqualTo("fd00:99:0:0:0:0:0:1/64");
        assertThat(IpPrefix.parse("fd00::1").length()).isEqualTo(128);
        assertThat(IpPrefix.parse("10.0.0.0/8").isIpv4()).isTrue();
        assertThat(IpPrefix.parse("::/0").isIpv4()).isFalse();
    }

    @Test
    void networkClearsHostBits() {
        assertThat(IpPrefix.parse("10.124.5.6/20").network()).isEqualTo(IpPrefix.parse("10.124.0.0/20"));
        assertThat(IpPrefix.parse("10.124.5.6/0").network()).isEqualTo(IpPrefix.parse("0.0.0.0/0"));
        assertThat(IpPrefix.parse("10.124.5.6/32").network()).isEqualTo(IpPrefix.parse("10.124.5.6/32"));
        assertThat(IpPrefix.parse("fd00:99:1:2::7/33").network()).isEqualTo(IpPrefix.parse("fd00:99::/33"));
    }

    @Test
    void contains() {
        IpPrefix p = IpPrefix.parse("10.42.0.0/16");
        assertThat(p.contains(InetAddress.ofLiteral("10.42.255.1"))).isTrue();
        assertThat(p.contains(InetAddress.ofLiteral("10.43.0.1"))).isFalse();
        assertThat(p.contains(InetAddress.ofLiteral("fd00::1"))).isFalse();
        assertThat(IpPrefix.parse("fd00::/8").contains(InetAddress.ofLiteral("fdff::1"))).isTrue();
    }

    @Test
    void rejectsBadInputWithoutDnsLookups() {
        assertThatThrownBy(() -> IpPrefix.parse("example.org/24")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prefix: 'example.org/24'");
        assertThatThrownBy(() -> IpPrefix.parse("10.0.0.1/33")).hasMessageContaining("length: 33 (expected: 0..32");
        assertThatThrownBy(() -> IpPrefix.parse("fd00::1/129")).hasMessageContaining("length: 129 (expected: 0..128");
        assertThatThrownBy(() -> IpPrefix.parse("10.0.0.1/x")).hasMessageContaining("decimal prefix length");
        assertThatThrownBy(() -> IpPrefix.parse("10.0.0.1/-1")).hasMessageContaining("length: -1");
    }
}
