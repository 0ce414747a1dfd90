package io.vine.tun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TunConfigTest {
    @Test
    void defaultsAndFields() {
        TunConfig c = TunConfig.builder("vine0").build();
        assertThat(c.name()).isEqualTo("vine0");
        assertThat(c.mtu()).isEqualTo(TunConfig.DEFAULT_MTU);
        assertThat(c.addresses()).isEmpty();
        assertThat(c.routes()).isEmpty();
        assertThat(c.vnetHdr()).isFalse();
        assertThat(c.queues()).isEqualTo(1);
        assertThat(c.netns()).isEmpty();

        TunConfig full = TunConfig.builder("vine1").mtu(1500).address("10.99.0.1/24").address("fd00::1/64")
                .route("10.42.0.0/16").vnetHdr(true).queues(4).netns(Path.of("/run/netns/x")).build();
        assertThat(full.addresses()).containsExactly(IpPrefix.parse("10.99.0.1/24"), IpPrefix.parse("fd00::1/64"));
        assertThat(full.routes()).containsExactly(IpPrefix.parse("10.42.0.0/16"));
        assertThat(full.queues()).isEqualTo(4);
        assertThat(full.netns()).contains(Path.of("/run/netns/x"));
        assertThat(full.toString()).contains("vine1", "mtu=1500", "10.42.0.0/16", "netns=/run/netns/x");
        assertThatThrownBy(() -> full.addresses().add(IpPrefix.parse("1.2.3.4"))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void validationNamesTheField() {
        assertThatThrownBy(() -> TunConfig.builder("").build()).hasMessageStartingWith("name: ''");
        assertThatThrownBy(() -> TunConfig.builder("a-very-long-name0").build()).hasMessageStartingWith("name: 'a-very-long-name0'")
                .hasMessageContaining("1 to 15 bytes");
        assertThatThrownBy(() -> TunConfig.builder("a/b").build()).hasMessageStartingWith("name: 'a/b'");
        assertThatThrownBy(() -> TunConfig.builder("a b").build()).hasMessageStartingWith("name: 'a b'");
        assertThatThrownBy(() -> TunConfig.builder("..").build()).hasMessageStartingWith("name: '..'");
        assertThatThrownBy(() -> TunConfig.builder("vine0").mtu(67).build()).hasMessage("mtu: 67 (expected: 68..65535)");
        assertThatThrownBy(() -> TunConfig.builder("vine0").mtu(65536).build()).hasMessage("mtu: 65536 (expected: 68..65535)");
        assertThatThrownBy(() -> TunConfig.builder("vine0").mtu(1279).address("fd00::1/64").build())
                .hasMessage("mtu: 1279 (expected: >= 1280 when an IPv6 address or route is configured)");
        assertThatThrownBy(() -> TunConfig.builder("vine0").mtu(1000).route("fd00::/8").build())
                .hasMessageStartingWith("mtu: 1000");
        assertThat(TunConfig.builder("vine0").mtu(1000).address("10.0.0.1/8").build().mtu()).isEqualTo(1000);
        assertThatThrownBy(() -> TunConfig.builder("vine0").queues(0).build()).hasMessage("queues: 0 (expected: 1..256)");
        assertThatThrownBy(() -> TunConfig.builder("vine0").queues(257).build()).hasMessage("queues: 257 (expected: 1..256)");
        assertThatThrownBy(() -> TunConfig.builder("vine0").address("10.0.0.1/8").address("10.0.0.1/8").build())
                .hasMessageStartingWith("addresses: ");
        assertThatThrownBy(() -> TunConfig.builder("vine0").route("10.1.0.0/16").route("10.1.2.3/16").build())
                .hasMessageStartingWith("routes: ");
        assertThatThrownBy(() -> TunConfig.builder(null)).isInstanceOf(NullPointerException.class).hasMessage("name");
    }
}
