package io.vine.tun;

import java.net.InetAddress;
import java.nio.ByteBuffer;

/** Builds and answers IP packets in tests: checksums, ICMP echo replies, a TCP SYN-ACK, a UDP datagram. */
public final class TestPackets {
    private TestPackets() {}

    /** The Internet checksum (RFC 1071) of {@code len} bytes at {@code off}, folded into {@code sum}. */
    public static int checksum(ByteBuffer b, int off, int len, long sum) {
        for (int i = 0; i + 1 < len; i += 2) {
            sum += ((b.get(off + i) & 0xFF) << 8) | (b.get(off + i + 1) & 0xFF);
        }
        if ((len & 1) != 0) {
            sum += (b.get(off + len - 1) & 0xFF) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) (~sum & 0xFFFF);
    }

    /** Sum of the pseudo-header (source, destination, protocol, upper-layer length) for TCP/UDP/ICMPv6. */
    public static long pseudoHeaderSum(ByteBuffer ip, int l4Length, int protocol) {
        boolean v4 = (ip.get(0) & 0xF0) == 0x40;
        int srcOff = v4 ? 12 : 8;
        int addrLen = v4 ? 4 : 16;
        long sum = 0;
        for (int i = 0; i < addrLen * 2; i += 2) {
            sum += ((ip.get(srcOff + i) & 0xFF) << 8) | (ip.get(srcOff + i + 1) & 0xFF);
        }
        return sum + protocol + (l4Length & 0xFFFF) + (l4Length >>> 16);
    }

    public static void fixIpv4HeaderChecksum(ByteBuffer ip) {
        int ihl = (ip.get(0) & 0x0F) * 4;
        ip.putShort(10, (short) 0);
        ip.putShort(10, (short) checksum(ip, 0, ihl, 0));
    }

    /** True if {@code ip} (at index 0) is an ICMP echo request (IPv4 type 8 or ICMPv6 type 128). */
    public static boolean isEchoRequest(ByteBuffer ip) {
        IpPacket p = IpPacket.tryParse(ip).orElse(null);
        if (p == null) {
            return false;
        }
        int type = ip.get(p.headerLength()) & 0xFF;
        return p.version() == 4 ? p.protocol() == 1 && type == 8 : p.protocol() == 58 && type == 128;
    }

    /** The echo reply to an echo request (index 0 to limit): addresses swapped, type changed, checksums fixed. */
    public static ByteBuffer echoReply(ByteBuffer request) {
        IpPacket p = IpPacket.parse(request);
        ByteBuffer r = ByteBuffer.allocate(p.totalLength());
        r.put(0, request, 0, p.totalLength());
        int h = p.headerLength();
        int l4 = p.totalLength() - h;
        if (p.version() == 4) {
            r.put(12, request, 16, 4).put(16, request, 12, 4);
            r.put(8, (byte) 64);
            r.put(h, (byte) 0);
            r.putShort(h + 2, (short) 0);
            r.putShort(h + 2, (short) checksum(r, h, l4, 0));
            fixIpv4HeaderChecksum(r);
        } else {
            r.put(8, request, 24, 16).put(24, request, 8, 16);
            r.put(7, (byte) 64);
            r.put(h, (byte) 129);
            r.putShort(h + 2, (short) 0);
            r.putShort(h + 2, (short) checksum(r, h, l4, pseudoHeaderSum(r, l4, 58)));
        }
        return r;
    }

    /** A SYN-ACK (IPv4, MSS option) answering the SYN in {@code syn}, with our initial sequence {@code seq}. */
    public static ByteBuffer synAck(ByteBuffer syn, int seq, int mss) {
        IpPacket p = IpPacket.parse(syn);
        int t = p.headerLength();
        ByteBuffer r = ByteBuffer.allocate(20 + 24);
        r.put(0, (byte) 0x45).putShort(2, (short) 44).putShort(6, (short) 0x4000).put(8, (byte) 64).put(9, (byte) 6);
        r.put(12, syn, 16, 4).put(16, syn, 12, 4);
        fixIpv4HeaderChecksum(r);
        r.putShort(20, syn.getShort(t + 2)).putShort(22, syn.getShort(t));
        r.putInt(24, seq).putInt(28, syn.getInt(t + 4) + 1);
        r.put(32, (byte) (6 << 4)).put(33, (byte) 0x12).putShort(34, (short) 0xFFFF);
        r.put(40, (byte) 2).put(41, (byte) 4).putShort(42, (short) mss);
        r.putShort(36, (short) checksum(r, 20, 24, pseudoHeaderSum(r, 24, 6)));
        return r;
    }

    /** True if {@code ip} is a UDP datagram to {@code port}. */
    public static boolean isUdpTo(ByteBuffer ip, int port) {
        IpPacket p = IpPacket.tryParse(ip).orElse(null);
        return p != null && p.protocol() == 17 && (ip.getShort(p.headerLength() + 2) & 0xFFFF) == port;
    }

    /** The UDP answer (IPv4 or IPv6) to {@code request}: addresses and ports swapped, new payload, checksums fixed. */
    public static ByteBuffer udpReply(ByteBuffer request, byte[] payload) {
        IpPacket p = IpPacket.parse(request);
        int h = p.headerLength();
        int l4 = 8 + payload.length;
        ByteBuffer r = ByteBuffer.allocate(h + l4);
        r.put(0, request, 0, h);
        if (p.version() == 4) {
            r.put(12, request, 16, 4).put(16, request, 12, 4).putShort(2, (short) (h + l4));
            fixIpv4HeaderChecksum(r);
        } else {
            r.put(8, request, 24, 16).put(24, request, 8, 16).putShort(4, (short) l4);
        }
        r.putShort(h, request.getShort(h + 2)).putShort(h + 2, request.getShort(h)).putShort(h + 4, (short) l4);
        r.put(h + 8, payload);
        int sum = checksum(r, h, l4, pseudoHeaderSum(r, l4, 17));
        r.putShort(h + 6, (short) (sum == 0 ? 0xFFFF : sum));
        return r;
    }

    /** A UDP/IPv4 datagram with a zero (absent) UDP checksum. */
    public static ByteBuffer udp4(InetAddress src, int srcPort, InetAddress dst, int dstPort, byte[] payload) {
        int total = 28 + payload.length;
        ByteBuffer r = ByteBuffer.allocate(total);
        r.put(0, (byte) 0x45).putShort(2, (short) total).put(8, (byte) 64).put(9, (byte) 17);
        r.put(12, src.getAddress()).put(16, dst.getAddress());
        fixIpv4HeaderChecksum(r);
        r.putShort(20, (short) srcPort).putShort(22, (short) dstPort).putShort(24, (short) (8 + payload.length));
        r.put(28, payload);
        return r;
    }
}
