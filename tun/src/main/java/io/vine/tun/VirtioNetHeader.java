package io.vine.tun;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The 10-byte {@code struct virtio_net_hdr} that precedes every frame of a TUN device opened with
 * IFF_VNET_HDR (Linux {@code include/uapi/linux/virtio_net.h}). Fields are in host byte order, as
 * the TUN driver uses them on little-endian machines.
 *
 * @param flags {@link #F_NEEDS_CSUM} and/or {@link #F_DATA_VALID}
 * @param gsoType {@link #GSO_NONE}, {@link #GSO_TCPV4}, {@link #GSO_TCPV6} or {@link #GSO_UDP_L4}, maybe with {@link #GSO_ECN}
 * @param hdrLen length of the IP and transport headers of the superpacket
 * @param gsoSize payload bytes per segment
 * @param csumStart where checksumming starts (offset from the IP header) when {@link #F_NEEDS_CSUM}
 * @param csumOffset where, after csumStart, the checksum is stored
 */
public record VirtioNetHeader(int flags, int gsoType, int hdrLen, int gsoSize, int csumStart, int csumOffset) {
    /** Encoded length in bytes. */
    public static final int LENGTH = 10;
    public static final int F_NEEDS_CSUM = 1;
    public static final int F_DATA_VALID = 2;
    public static final int GSO_NONE = 0;
    public static final int GSO_TCPV4 = 1;
    public static final int GSO_UDP = 3;
    public static final int GSO_TCPV6 = 4;
    public static final int GSO_UDP_L4 = 5;
    public static final int GSO_ECN = 0x80;
    /** A header for a plain packet: no offload, checksums complete. */
    public static final VirtioNetHeader NONE = new VirtioNetHeader(0, GSO_NONE, 0, 0, 0, 0);

    public VirtioNetHeader {
        checkU8("flags", flags);
        checkU8("gsoType", gsoType);
        checkU16("hdrLen", hdrLen);
        checkU16("gsoSize", gsoSize);
        checkU16("csumStart", csumStart);
        checkU16("csumOffset", csumOffset);
    }

    /** Decodes the header at {@code index} without moving {@code buf}'s position. */
    public static VirtioNetHeader decode(ByteBuffer buf, int index) {
        requireNonNull(buf, "buf");
        if (index < 0 || buf.limit() - index < LENGTH) {
            throw new MalformedPacketException("virtio-net header: " + Math.max(0, buf.limit() - index)
                    + " bytes at index " + index + " (expected: >= " + LENGTH + ")");
        }
        ByteBuffer b = buf.duplicate().order(ByteOrder.nativeOrder());
        return new VirtioNetHeader(b.get(index) & 0xFF, b.get(index + 1) & 0xFF, b.getShort(index + 2) & 0xFFFF,
                b.getShort(index + 4) & 0xFFFF, b.getShort(index + 6) & 0xFFFF, b.getShort(index + 8) & 0xFFFF);
    }

    /** Writes this header at {@code buf}'s position and advances it by {@link #LENGTH}. */
    public ByteBuffer encode(ByteBuffer buf) {
        requireNonNull(buf, "buf");
        ByteOrder order = buf.order();
        buf.order(ByteOrder.nativeOrder());
        buf.put((byte) flags).put((byte) gsoType).putShort((short) hdrLen).putShort((short) gsoSize)
                .putShort((short) csumStart).putShort((short) csumOffset);
        buf.order(order);
        return buf;
    }

    /** Whether the packet is a superpacket to be segmented (any GSO type but NONE). */
    public boolean isGso() {
        return (gsoType & ~GSO_ECN) != GSO_NONE;
    }

    private static void checkU8(String field, int v) {
        if (v < 0 || v > 0xFF) {
            throw new IllegalArgumentException(field + ": " + v + " (expected: 0..255)");
        }
    }

    private static void checkU16(String field, int v) {
        if (v < 0 || v > 0xFFFF) {
            throw new IllegalArgumentException(field + ": " + v + " (expected: 0..65535)");
        }
    }
}
