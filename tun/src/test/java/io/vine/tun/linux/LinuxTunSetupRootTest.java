package io.vine.tun.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vine.tun.IpPacket;
import io.vine.tun.TestPackets;
import io.vine.tun.TunConfig;
import io.vine.tun.TunDevice;
import io.vine.tun.TunException;
import io.vine.tun.VirtioNetHeader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Creating and configuring real TUN devices, and the errors of doing it wrong (root only; see {@link RootTestSupport}). */
@Tag("root")
@Timeout(60)
class LinuxTunSetupRootTest extends RootTestSupport {
    @Test
    void mtuAddressesAndRoutesAreVisibleToIp() {
        open(base().mtu(1400).route("10.123.0.0/16").route("fd00:123::/48").route("10.124.5.6/24"));

        String link = ns.ip("link", "show", "vine0");
        assertThat(link).contains("mtu 1400").contains("UP");
        String addr = ns.ip("addr", "show", "vine0");
        assertThat(addr).contains("inet 10.99.0.1/24").contains("inet6 fd00:99::1/64");
        assertThat(ns.ip("-4", "route")).contains("10.123.0.0/16 dev vine0").contains("10.124.5.0/24 dev vine0")
                .contains("10.99.0.0/24 dev vine0");
        assertThat(ns.ip("-6", "route")).contains("fd00:123::/48 dev vine0");
        assertThat(TestNetns.run("ip", "link", "show")).as("nothing leaks into the root namespace")
                .doesNotContain("vine0:");
    }

    @Test
    void closingRemovesTheDevice() {
        TunDevice tun = open(base());
        assertThat(ns.ip("link", "show")).contains("vine0");
        tun.close();
        assertThat(ns.ip("link", "show")).doesNotContain("vine0");
        assertThat(tun.read(ByteBuffer.allocate(tun.minReadBuffer()), 10, TimeUnit.MILLISECONDS)).isEqualTo(-1);
        assertThatThrownBy(() -> tun.write(ByteBuffer.wrap(new byte[20]))).isInstanceOf(TunException.class)
                .hasMessageContaining("vine0: closed");
    }

    /** A child JVM without CAP_NET_ADMIN (dropped with setpriv) gets an error that names the capability. */
    @Test
    void withoutCapNetAdminTheErrorNamesTheCapability() {
        String setpriv = java.util.stream.Stream.of("/usr/bin/setpriv", "/bin/setpriv", "/usr/sbin/setpriv")
                .filter(f -> java.nio.file.Files.isExecutable(Path.of(f))).findFirst().orElse(null);
        assumeTrue(setpriv != null, "capability test skipped: setpriv (util-linux) is not installed");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String out = TestNetns.run(setpriv, "--inh-caps=-net_admin", "--bounding-set=-net_admin", "--", java,
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                CapabilityProbe.class.getName(), ns.path.toString());
        assertThat(out).contains("creating TUN device 'vinecap0' needs CAP_NET_ADMIN")
                .contains("setcap cap_net_admin+ep");
        assertThat(ns.ip("link", "show")).doesNotContain("vinecap0");
    }

    @Test
    void secondOpenOfTheSameNameIsRefusedClearly() {
        open(base());
        assertThatThrownBy(() -> open(TunConfig.builder("vine0")))
                .isInstanceOf(TunException.class)
                .hasMessageContaining("creating TUN device 'vine0'")
                .hasMessageContaining("TUNSETIFF");
    }

    @Test
    void conflictingRouteIsReportedAndNothingIsLeftOpen() {
        assertThatThrownBy(() -> open(base().route("10.99.0.0/24")))
                .isInstanceOf(TunException.class)
                .hasMessageContaining("adding route 10.99.0.0/24 via 'vine0' (RTM_NEWROUTE) failed")
                .hasMessageContaining("already exists");
        assertThat(ns.ip("link", "show")).doesNotContain("vine0");
    }

    @Test
    void ipv6AddressOnADeviceWithIpv6DisabledIsExplained() {
        TestNetns.run("ip", "netns", "exec", ns.name, "sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1");
        assertThatThrownBy(() -> open(base()))
                .isInstanceOf(TunException.class)
                .hasMessageContaining("adding address fd00:99:0:0:0:0:0:1/64 to 'vine0' failed: IPv6 is disabled on the device");
        assertThat(ns.ip("link", "show")).doesNotContain("vine0");
    }

    @Test
    void missingNamespaceIsReported() {
        assertThatThrownBy(() -> LinuxTun.open(TunConfig.builder("vine0").netns(Path.of("/run/netns/vine-missing-x")).build()))
                .isInstanceOf(TunException.class)
                .hasMessageContaining("opening network namespace /run/netns/vine-missing-x failed");
    }
}
