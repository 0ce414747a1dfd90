package io.vine.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.vine.core.multiaddr.Multiaddr;
import org.junit.jupiter.api.Test;

class ListenAddressesTest {

    @Test
    void aSpecificAddressStaysAsItIs() {
        Multiaddr a = Multiaddr.parse("/ip4/127.0.0.1/tcp/4001");
        assertThat(ListenAddresses.expand(a)).containsExactly(a);
    }

    @Test
    void theUnspecifiedAddressBecomesEveryInterfaceAddressWithThePortKept() {
        var expanded = ListenAddresses.expand(Multiaddr.parse("/ip4/0.0.0.0/tcp/4001"));

        assertThat(expanded).contains(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001"))
                .allSatisfy(a -> assertThat(a.toString()).startsWith("/ip4/").endsWith("/tcp/4001").doesNotContain("0.0.0.0"));
    }

    @Test
    void ipv6UnspecifiedBecomesIpv6AddressesWithoutLinkLocal() {
        var expanded = ListenAddresses.expand(Multiaddr.parse("/ip6/::/tcp/4001"));

        assertThat(expanded).allSatisfy(a -> assertThat(a.toString()).startsWith("/ip6/").doesNotStartWith("/ip6/fe80"));
    }
}
