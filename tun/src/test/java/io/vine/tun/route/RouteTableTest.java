package io.vine.tun.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.vine.core.crypto.Keys;
import io.vine.core.peer.PeerId;
import io.vine.tun.IpPrefix;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class RouteTableTest {
    private static final PeerId A = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
    private static final PeerId B = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());

    private static IpPrefix p(String s) {
        return IpPrefix.parse(s);
    }

    private static PeerId owner(RouteTable t, String address) {
        return t.lookup(InetAddress.ofLiteral(address)).map(Route::owner).orElse(null);
    }

    @Test
    void longestPrefixWinsForIpv4AndIpv6() {
        RouteTable t = new RouteTable();
        assertThat(t.announce(p("10.42.0.0/16"), A, 1)).isEqualTo(RouteUpdate.ADDED);
        assertThat(t.announce(p("10.42.7.0/24"), B, 1)).isEqualTo(RouteUpdate.ADDED);
        assertThat(t.announce(p("fd00:42::/32"), A, 1)).isEqualTo(RouteUpdate.ADDED);
        assertThat(t.announce(p("fd00:42:0:7::/64"), B, 1)).isEqualTo(RouteUpdate.ADDED);
        assertThat(owner(t, "10.42.7.9")).isEqualTo(B);
        assertThat(owner(t, "10.42.8.9")).isEqualTo(A);
        assertThat(owner(t, "10.43.0.1")).isNull();
        assertThat(owner(t, "fd00:42:0:7::1")).isEqualTo(B);
        assertThat(owner(t, "fd00:42:0:8::1")).isEqualTo(A);
        assertThat(owner(t, "fd00:43::1")).isNull();
        assertThat(t.size()).isEqualTo(4);
        assertThat(t.routes().getFirst().prefix().length()).isEqualTo(24);
        assertThat(t.routesOf(B)).hasSize(2);
    }

    @Test
    void hostBitsAreIgnored() {
        RouteTable t = new RouteTable();
        t.announce(p("10.42.7.1/24"), A, 1);
        assertThat(t.get(p("10.42.7.200/24"))).map(Route::prefix).contains(p("10.42.7.0/24"));
        assertThat(t.announce(p("10.42.7.0/24"), A, 1)).isEqualTo(RouteUpdate.UNCHANGED);
    }

    @Test
    void olderEpochsLoseAndWithdrawsLeaveATombstone() {
        RouteTable t = new RouteTable();
        IpPrefix x = p("10.42.1.0/24");
        assertThat(t.announce(x, A, 10)).isEqualTo(RouteUpdate.ADDED);
        assertThat(t.announce(x, A, 9)).isEqualTo(RouteUpdate.STALE);
        assertThat(t.withdraw(x, A, 9)).isEqualTo(RouteUpdate.STALE);
        assertThat(t.announce(x, A, 11)).isEqualTo(RouteUpdate.REFRESHED);
        assertThat(t.get(x)).map(Route::epoch).contains(11L);
        assertThat(t.withdraw(x, A, 12)).isEqualTo(RouteUpdate.REMOVED);
        assertThat(t.announce(x, A, 12)).isEqualTo(RouteUpdate.STALE);
        assertThat(t.withdraw(x, A, 11)).isEqualTo(RouteUpdate.STALE);
        assertThat(t.lookup(InetAddress.ofLiteral("10.42.1.1"))).isEmpty();
        assertThat(t.announce(x, A, 13)).isEqualTo(RouteUpdate.ADDED);
        assertThat(t.withdraw(p("10.9.0.0/16"), A, 1)).isEqualTo(RouteUpdate.UNKNOWN);
    }

    @Test
    void anotherOwnerNeverTakesAPrefixOver() {
        RouteTable t = new RouteTable();
        IpPrefix x = p("10.42.1.0/24");
        t.announce(x, A, 1);
        assertThat(t.announce(x, B, 100)).isEqualTo(RouteUpdate.CONFLICT);
        assertThat(t.withdraw(x, B, 100)).isEqualTo(RouteUpdate.CONFLICT);
        assertThat(t.get(x)).map(Route::owner).contains(A);
    }
}
