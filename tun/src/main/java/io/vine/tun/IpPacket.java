package io.vine.tun;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The addressing facts of one IP packet, checked for well-formedness: version, source, destination,
 * transport protocol, header and total length. A packet is well formed when its version is 4 or 6,
 * the buffer holds the whole fixed header (and the IPv4 options the IHL announces), and the length
 * the header states equals the bytes the buffer holds from its position to its limit.
 *
 * @param version 4 or 6
 * @param source the source address
 * @param destination the destination address
 * @param protocol the IPv4 protocol or the IPv6 next header (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6)
 * @param headerLength IPv4 IHL in bytes, or 40 for IPv6 (extension headers are payload here)
 * @param totalLength the packet length in bytes
 */
public record IpPacket(int version, InetAddress source, InetAddress destination, int protocol, int headerLength,
        int totalLength) {
    public static final int IPV4_HEADER = 20;
    public static final int IPV6_HEADER = 40;

    public IpPacket {
        requireNonNull(source, "source");
        requireNonNull(destination, "destination");
    }

    /**
     * Parses the packet from {@code buf}'s position to its limit without moving either.
     *
     * @throws MalformedPacketException saying what is wrong, for a truncated or malformed packet
     */
    public static IpPacket parse(ByteBuffer buf) {
        requireNonNull(buf, "buf");
        int start = buf.position();
        int available = buf.remaining();
        if (available < 1) {
            throw new MalformedPacketException("packet: empty (expected: an IPv4 or IPv6 header)");
        }
        int version = (buf.get(start) & 0xFF) >>> 4;
        return switch (version) {
            case 4 -> parse4(buf, start, available);
            case 6 -> parse6(buf, start, available);
            default -> throw new MalformedPacketException("version: " + version + " (expected: 4 or 6)");
        };
    }

    /** Like {@link #parse(ByteBuffer)} but empty instead of throwing for a malformed packet. */
    public static Optional<IpPacket> tryParse(ByteBuffer buf) {
        try {
            return Optional.of(parse(buf));
        } catch (MalformedPacketException e) {
            return Optional.empty();
        }
    }

    private static IpPacket parse4(ByteBuffer buf, int start, int available) {
        if (available < IPV4_HEADER) {
            throw new MalformedPacketException("IPv4 packet: " + available + " bytes (expected: >= " + IPV4_HEADER + ")");
        }
        int ihl = (buf.get(start) & 0x0F) * 4;
        if (ihl < IPV4_HEADER) {
            throw new MalformedPacketException("IPv4 header length: " + ihl + " (expected: >= " + IPV4_HEADER + ")");
        }
        int total = u16(buf, start + 2);
        if (total < ihl) {
            throw new MalformedPacketException("IPv4 total length: " + total + " (expected: >= header length " + ihl + ")");
        }
        if (total != available) {
            throw new MalformedPacketException("IPv4 total length: " + total + " (expected: " + available
                    + ", the bytes received)");
        }
        return new IpPacket(4, address(buf, start + 12, 4), address(buf, start + 16, 4), buf.get(start + 9) & 0xFF,
                ihl, total);
    }

    private static IpPacket parse6(ByteBuffer buf, int start, int available) {
        if (available < IPV6_HEADER) {
            throw new MalformedPacketException("IPv6 packet: " + available + " bytes (expected: >= " + IPV6_HEADER + ")");
        }
        int payload = u16(buf, start + 4);
        if (payload + IPV6_HEADER != available) {
            throw new MalformedPacketException("IPv6 payload length: " + payload + " (expected: "
                    + (available - IPV6_HEADER) + ", the bytes received after the header)");
        }
        return new IpPacket(6, address(buf, start + 8, 16), address(buf, start + 24, 16), buf.get(start + 6) & 0xFF,
                IPV6_HEADER, available);
    }

    private static int u16(ByteBuffer buf, int index) {
        return (buf.get(index) & 0xFF) << 8 | (buf.get(index + 1) & 0xFF);
    }

    private static InetAddress address(ByteBuffer buf, int index, int length) {
        byte[] bytes = new byte[length];
        buf.get(index, bytes);
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
