package io.vine.tun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class IpPacketTest {
    /** ICMP echo request 10.99.0.1 -> 10.99.0.2 (IPv4, 28 bytes, correct checksums). */
    private static ByteBuffer icmp4() {
        ByteBuffer b = ByteBuffer.allocate(28);
        b.put(0, (byte) 0x45).putShort(2, (short) 28).put(8, (byte) 64).put(9, (byte) 1);
        b.put(12, new byte[] {10, 99, 0, 1}).put(16, new byte[] {10, 99, 0, 2});
        b.put(20, (byte) 8);
        TestPackets.fixIpv4HeaderChecksum(b);
        return b;
    }

    private static ByteBuffer udp6(int payload) {
        ByteBuffer b = ByteBuffer.allocate(40 + 8 + payload);
        b.put(0, (byte) 0x60).putShort(4, (short) (8 + payload)).put(6, (byte) 17).put(7, (byte) 64);
        b.put(8, HexFormat.of().parseHex("fd000099000000000000000000000001"));
        b.put(24, HexFormat.of().parseHex("fd000099000000000000000000000002"));
        return b;
    }

    @Test
    void parsesIpv4() throws Exception {
        IpPacket p = IpPacket.parse(icmp4());
        assertThat(p).isEqualTo(new IpPacket(4, InetAddress.ofLiteral("10.99.0.1"), InetAddress.ofLiteral("10.99.0.2"),
                1, 20, 28));
    }

    @Test
    void parsesIpv6() {
        IpPacket p = IpPacket.parse(udp6(5));
        assertThat(p.version()).isEqualTo(6);
        assertThat(p.source()).isEqualTo(InetAddress.ofLiteral("fd00:99::1"));
        assertThat(p.destination()).isEqualTo(InetAddress.ofLiteral("fd00:99::2"));
        assertThat(p.protocol()).isEqualTo(17);
        assertThat(p.headerLength()).isEqualTo(40);
        assertThat(p.totalLength()).isEqualTo(53);
    }

    @Test
    void parsesFromThePositionWithoutMovingItAndIgnoresByteOrder() {
        ByteBuffer framed = ByteBuffer.allocate(10 + 28).order(ByteOrder.LITTLE_ENDIAN);
        framed.put(10, icmp4(), 0, 28).position(10);
        assertThat(IpPacket.parse(framed).totalLength()).isEqualTo(28);
        assertThat(framed.position()).isEqualTo(10);
    }

    @Test
    void parsesIpv4WithOptions() {
        ByteBuffer b = ByteBuffer.allocate(32);
        b.put(0, (byte) 0x46).putShort(2, (short) 32).put(9, (byte) 6);
        assertThat(IpPacket.parse(b).headerLength()).isEqualTo(24);
    }

    @Test
    void rejectsEveryTruncation() {
        ByteBuffer v4 = icmp4();
        for (int len = 0; len < 28; len++) {
            ByteBuffer cut = v4.slice(0, len);
            assertThatThrownBy(() -> IpPacket.parse(cut)).as("length %d", len).isInstanceOf(MalformedPacketException.class);
            assertThat(IpPacket.tryParse(cut)).isEmpty();
        }
        ByteBuffer v6 = udp6(5);
        for (int len = 0; len < 53; len++) {
            ByteBuffer cut = v6.slice(0, len);
            assertThatThrownBy(() -> IpPacket.parse(cut)).as("length %d", len).isInstanceOf(MalformedPacketException.class);
        }
    }

    @Test
    void rejectsMalformedHeadersWithAClearMessage() {
        assertThatThrownBy(() -> IpPacket.parse(ByteBuffer.allocate(0))).hasMessageContaining("packet: empty");
        ByteBuffer badVersion = icmp4().put(0, (byte) 0x55);
        assertThatThrownBy(() -> IpPacket.parse(badVersion)).hasMessage("version: 5 (expected: 4 or 6)");
        ByteBuffer shortIhl = icmp4().put(0, (byte) 0x44);
        assertThatThrownBy(() -> IpPacket.parse(shortIhl)).hasMessage("IPv4 header length: 16 (expected: >= 20)");
        ByteBuffer ihlBeyondTotal = icmp4().put(0, (byte) 0x4F);
        assertThatThrownBy(() -> IpPacket.parse(ihlBeyondTotal)).hasMessage("IPv4 total length: 28 (expected: >= header length 60)");
        ByteBuffer longer = icmp4().putShort(2, (short) 100);
        assertThatThrownBy(() -> IpPacket.parse(longer)).hasMessage("IPv4 total length: 100 (expected: 28, the bytes received)");
        ByteBuffer trailing = ByteBuffer.allocate(40).put(0, icmp4(), 0, 28);
        assertThatThrownBy(() -> IpPacket.parse(trailing)).hasMessage("IPv4 total length: 28 (expected: 40, the bytes received)");
        ByteBuffer jumbo = udp6(5).putShort(4, (short) 0);
        assertThatThrownBy(() -> IpPacket.parse(jumbo)).hasMessage("IPv6 payload length: 0 (expected: 13, the bytes received after the header)");
    }

    @Test
    void randomBytesNeverEscapeAsAnotherException() {
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 10_000; i++) {
            byte[] bytes = new byte[random.nextInt(80)];
            random.nextBytes(bytes);
            ByteBuffer b = ByteBuffer.wrap(bytes);
            try {
                IpPacket p = IpPacket.parse(b);
                assertThat(p.totalLength()).isEqualTo(bytes.length);
            } catch (MalformedPacketException expected) {
                // fine
            }
        }
    }
}
