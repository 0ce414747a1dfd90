package io.vine.cli.demo;

import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** IPv4/UDP datagrams as an application on an overlay address would send them, for the demo. */
final class DemoPackets {
    private DemoPackets() {}

    static ByteBuffer udp(Inet4Address src, Inet4Address dst, String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        int total = 28 + payload.length;
        ByteBuffer p = ByteBuffer.allocate(total);
        p.put(0, (byte) 0x45).putShort(2, (short) total).put(8, (byte) 64).put(9, (byte) 17);
        p.put(12, src.getAddress()).put(16, dst.getAddress());
        p.putShort(10, (short) checksum(p, 0, 20));
        p.putShort(20, (short) 40000).putShort(22, (short) 7).putShort(24, (short) (8 + payload.length));
        p.put(28, payload);
        return p;
    }

    /** The text a datagram built by {@link #udp} carries. */
    static String text(ByteBuffer packet) {
        byte[] out = new byte[packet.remaining() - 28];
        packet.get(packet.position() + 28, out);
        return new String(out, StandardCharsets.UTF_8);
    }

    private static int checksum(ByteBuffer b, int off, int len) {
        long sum = 0;
        for (int i = 0; i + 1 < len; i += 2) {
            sum += ((b.get(off + i) & 0xFF) << 8) | (b.get(off + i + 1) & 0xFF);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) (~sum & 0xFFFF);
    }
}
