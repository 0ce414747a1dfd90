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

/** Packets through real TUN devices in throw-away namespaces (root only; see {@link RootTestSupport}). */
@Tag("root")
@Timeout(60)
class LinuxTunTrafficRootTest extends RootTestSupport {
    private CompletableFuture<Boolean> pingFromNamespace(String address) {
        return ns.async(() -> {
            try {
                return InetAddress.ofLiteral(address).isReachable(5000);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Test
    void pingIpv4ThroughTheDeviceAndAnswerIt() throws Exception {
        TunDevice tun = open(base());
        CompletableFuture<Boolean> ping = pingFromNamespace("10.99.0.2");

        ByteBuffer request = readUntil(tun, TestPackets::isEchoRequest, 5000);
        IpPacket p = IpPacket.parse(request);
        assertThat(p.version()).isEqualTo(4);
        assertThat(p.protocol()).isEqualTo(1);
        assertThat(p.source()).isEqualTo(InetAddress.ofLiteral("10.99.0.1"));
        assertThat(p.destination()).isEqualTo(InetAddress.ofLiteral("10.99.0.2"));

        tun.write(TestPackets.echoReply(request));
        assertThat(ping.get(10, TimeUnit.SECONDS)).as("ping 10.99.0.2 answered through the TUN").isTrue();
    }

    /**
     * IPv6 round trip with UDP: a datagram from a socket in the namespace comes out of the TUN, the
     * answer goes back in. Up to three rounds, each with a new socket: in full-suite runs on a loaded
     * machine the first answer is now and then not seen by the socket though the kernel accepted it
     * (not understood yet; see the project notes). A device that never carries IPv6 fails all three.
     */
    @Test
    void udpOverIpv6ThroughTheDeviceAndBack() throws Exception {
        TunDevice tun = open(base());
        String answer = null;
        for (int round = 0; round < 3 && answer == null; round++) {
            answer = ipv6RoundTrip(tun);
        }
        assertThat(answer).as("an IPv6 answer through the TUN within three rounds").isEqualTo("fd00:99:0:0:0:0:0:2:7777 world");
    }

    private String ipv6RoundTrip(TunDevice tun) throws Exception {
        CompletableFuture<String> answer = ns.async(() -> {
            try (var socket = new java.net.DatagramSocket(new java.net.InetSocketAddress("fd00:99::1", 0))) {
                socket.setSoTimeout(5_000);
                byte[] hello = "hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                socket.send(new java.net.DatagramPacket(hello, hello.length, InetAddress.ofLiteral("fd00:99::2"), 7777));
                var packet = new java.net.DatagramPacket(new byte[100], 100);
                socket.receive(packet);
                return packet.getAddress().getHostAddress() + ":" + packet.getPort() + " "
                        + new String(packet.getData(), 0, packet.getLength(), java.nio.charset.StandardCharsets.US_ASCII);
            } catch (java.net.SocketTimeoutException e) {
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });

        ByteBuffer request = readUntil(tun, b -> TestPackets.isUdpTo(b, 7777), 5000);
        IpPacket p = IpPacket.parse(request);
        assertThat(p.version()).isEqualTo(6);
        assertThat(p.source()).isEqualTo(InetAddress.ofLiteral("fd00:99::1"));
        assertThat(p.destination()).isEqualTo(InetAddress.ofLiteral("fd00:99::2"));

        ByteBuffer reply = TestPackets.udpReply(request, "world".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        ByteBuffer direct = ByteBuffer.allocateDirect(reply.remaining()).put(reply).flip();
        tun.write(direct);
        assertThat(direct.hasRemaining()).isFalse();
        return answer.get(15, TimeUnit.SECONDS);
    }

    @Test
    void unansweredPingFails() throws Exception {
        TunDevice tun = open(base());
        CompletableFuture<Boolean> ping = ns.async(() -> {
            try {
                return InetAddress.ofLiteral("10.99.0.2").isReachable(1000);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        readUntil(tun, TestPackets::isEchoRequest, 5000);
        assertThat(ping.get(10, TimeUnit.SECONDS)).isFalse();
    }

    @Test
    void closeWakesABlockedReaderAndTimeoutReturnsZero() throws Exception {
        // No IPv6 in this namespace: the kernel would send router solicitations into the device.
        TestNetns.run("ip", "netns", "exec", ns.name, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1",
                "net.ipv6.conf.default.disable_ipv6=1");
        TunDevice tun = open(TunConfig.builder("vine0").mtu(1500));
        assertThat(tun.read(ByteBuffer.allocateDirect(1500), 50, TimeUnit.MILLISECONDS)).isZero();
        CompletableFuture<Integer> reader = new CompletableFuture<>();
        Thread thread = Thread.ofPlatform().daemon(true).start(() -> reader.complete(tun.read(ByteBuffer.allocateDirect(1500))));
        Thread.sleep(500);
        assertThat(reader).isNotDone();
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        assertThat(TimeUnit.NANOSECONDS.toMillis(threads.getThreadCpuTime(thread.threadId())))
                .as("a blocked reader sleeps in poll(2) instead of spinning").isLessThan(100);
        long start = System.nanoTime();
        tun.close();
        assertThat(reader.get(2, TimeUnit.SECONDS)).isEqualTo(-1);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1000);
    }

    @Test
    void multiQueueOpensTwoQueuesThatBothCarryPackets() throws Exception {
        TunDevice tun = open(base().queues(2));
        assertThat(tun.queueCount()).isEqualTo(2);
        assertThat(ns.ip("-d", "link", "show", "vine0")).contains("multi_queue");

        // A datagram written on queue 1 reaches a UDP socket in the namespace.
        CompletableFuture<String> received = ns.async(() -> {
            try (var socket = new java.net.DatagramSocket(new java.net.InetSocketAddress("10.99.0.1", 40000))) {
                socket.setSoTimeout(20_000);
                var packet = new java.net.DatagramPacket(new byte[100], 100);
                socket.receive(packet);
                return new String(packet.getData(), 0, packet.getLength(), java.nio.charset.StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        Thread.sleep(300);
        for (int i = 0; i < 3 && !received.isDone(); i++) {
            tun.queue(1).write(TestPackets.udp4(InetAddress.ofLiteral("10.99.0.2"), 1234,
                    InetAddress.ofLiteral("10.99.0.1"), 40000, "via queue 1".getBytes()));
            Thread.sleep(100);
        }
        assertThat(received.get(10, TimeUnit.SECONDS)).isEqualTo("via queue 1");
    }

    private static ByteBuffer ipOf(ByteBuffer frame) {
        return frame.slice(VirtioNetHeader.LENGTH, frame.limit() - VirtioNetHeader.LENGTH);
    }

    private static boolean isTcp(ByteBuffer ip, int flagsMask, int flags) {
        IpPacket p = IpPacket.tryParse(ip).orElse(null);
        return p != null && p.version() == 4 && p.protocol() == 6 && (ip.get(p.headerLength() + 13) & flagsMask) == flags;
    }

    /**
     * With IFF_VNET_HDR and TSO on, a TCP stream from the namespace to an address behind the device
     * comes out as superpackets larger than the MTU, with gso_type TCPV4. The test plays the peer's
     * part of the handshake by hand (SYN-ACK with MSS 1460) and never acknowledges data.
     */
    @Test
    void vnetHeaderModeReadsTcpSuperpackets() throws Exception {
        TunDevice tun = open(base().vnetHdr(true));
        assertThat(tun.vnetHdr()).isTrue();
        assertThat(tun.minReadBuffer()).isEqualTo(TunDevice.MAX_OFFLOAD_FRAME);
        java.util.concurrent.atomic.AtomicReference<java.net.Socket> socket = new java.util.concurrent.atomic.AtomicReference<>();
        ns.async(() -> {
            try (java.net.Socket s = new java.net.Socket()) {
                socket.set(s);
                s.connect(new java.net.InetSocketAddress("10.99.0.2", 5001), 5000);
                byte[] chunk = new byte[64 * 1024];
                while (true) {
                    s.getOutputStream().write(chunk);
                }
            } catch (IOException e) {
                return null; // closed by the test
            }
        });
        try {
            ByteBuffer syn = readUntil(tun, f -> isTcp(ipOf(f), 0x12, 0x02), 5000);
            ByteBuffer synAck = TestPackets.synAck(ipOf(syn), 1000, 1460);
            ByteBuffer frame = ByteBuffer.allocate(VirtioNetHeader.LENGTH + synAck.remaining());
            VirtioNetHeader.NONE.encode(frame).put(synAck).flip();
            tun.write(frame);

            ByteBuffer superpacket = readUntil(tun, f -> VirtioNetHeader.decode(f, 0).isGso(), 5000);
            VirtioNetHeader header = VirtioNetHeader.decode(superpacket, 0);
            ByteBuffer ip = ipOf(superpacket);
            assertThat(header.gsoType()).isEqualTo(VirtioNetHeader.GSO_TCPV4);
            assertThat(header.gsoSize()).isEqualTo(1460);
            assertThat(header.flags() & VirtioNetHeader.F_NEEDS_CSUM).isNotZero();
            assertThat(header.hdrLen()).isGreaterThanOrEqualTo(40);
            assertThat(ip.remaining()).as("superpacket larger than the MTU").isGreaterThan(1500);
            IpPacket p = IpPacket.parse(ip);
            assertThat(p.destination()).isEqualTo(InetAddress.ofLiteral("10.99.0.2"));
            assertThat(p.totalLength()).isEqualTo(ip.remaining());
        } finally {
            java.net.Socket s = socket.get();
            if (s != null) {
                s.close();
            }
        }
    }

    /**
     * Writing in vnet header mode: the header's NEEDS_CSUM tells the kernel the UDP checksum is only
     * partial (the pseudo-header sum), so the datagram is delivered; the same bytes with a plain header
     * carry a wrong checksum and are dropped.
     */
    @Test
    void vnetHeaderModeWritesHonourTheHeader() throws Exception {
        TunDevice tun = open(base().vnetHdr(true));
        CompletableFuture<String> received = ns.async(() -> {
            try (var socket = new java.net.DatagramSocket(new java.net.InetSocketAddress("10.99.0.1", 40001))) {
                socket.setSoTimeout(20_000);
                var packet = new java.net.DatagramPacket(new byte[100], 100);
                socket.receive(packet);
                return new String(packet.getData(), 0, packet.getLength(), java.nio.charset.StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        Thread.sleep(300);
        for (String text : new String[] {"plain", "partial"}) {
            ByteBuffer udp = TestPackets.udp4(InetAddress.ofLiteral("10.99.0.2"), 1234, InetAddress.ofLiteral("10.99.0.1"),
                    40001, text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            int l4 = udp.remaining() - 20;
            long pseudo = TestPackets.pseudoHeaderSum(udp, l4, 17);
            int folded = (int) ((pseudo & 0xFFFF) + (pseudo >>> 16));
            udp.putShort(26, (short) folded); // partial: right for NEEDS_CSUM, wrong as a full checksum
            VirtioNetHeader header = text.equals("plain") ? VirtioNetHeader.NONE
                    : new VirtioNetHeader(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_NONE, 0, 0, 20, 6);
            ByteBuffer frame = ByteBuffer.allocate(VirtioNetHeader.LENGTH + udp.remaining());
            header.encode(frame).put(udp).flip();
            tun.write(frame);
        }
        assertThat(received.get(10, TimeUnit.SECONDS)).isEqualTo("partial");
    }

}
