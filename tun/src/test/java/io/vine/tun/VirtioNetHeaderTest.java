package io.vine.tun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class VirtioNetHeaderTest {
    @Test
    void roundTripsInHostByteOrder() {
        VirtioNetHeader h = new VirtioNetHeader(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_TCPV4, 52, 1448, 20, 16);
        ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.BIG_ENDIAN);
        b.put((byte) 0xAA);
        h.encode(b);
        assertThat(b.position()).isEqualTo(11);
        assertThat(b.order()).isEqualTo(ByteOrder.BIG_ENDIAN);
        assertThat(VirtioNetHeader.decode(b, 1)).isEqualTo(h);
        assertThat(b.position()).isEqualTo(11);
        // struct layout: u8 flags, u8 gso_type, then u16 fields in host order
        ByteBuffer le = b.duplicate().order(ByteOrder.nativeOrder());
        assertThat(b.get(1)).isEqualTo((byte) 1);
        assertThat(b.get(2)).isEqualTo((byte) 1);
        assertThat(le.getShort(5)).isEqualTo((short) 1448);
        assertThat(h.isGso()).isTrue();
        assertThat(VirtioNetHeader.NONE.isGso()).isFalse();
        assertThat(new VirtioNetHeader(0, VirtioNetHeader.GSO_ECN, 0, 0, 0, 0).isGso()).isFalse();
    }

    @Test
    void rejectsShortInputAndOutOfRangeFields() {
        assertThatThrownBy(() -> VirtioNetHeader.decode(ByteBuffer.allocate(9), 0)).isInstanceOf(MalformedPacketException.class)
                .hasMessage("virtio-net header: 9 bytes at index 0 (expected: >= 10)");
        assertThatThrownBy(() -> VirtioNetHeader.decode(ByteBuffer.allocate(12), 3)).isInstanceOf(MalformedPacketException.class);
        assertThatThrownBy(() -> new VirtioNetHeader(256, 0, 0, 0, 0, 0)).hasMessage("flags: 256 (expected: 0..255)");
        assertThatThrownBy(() -> new VirtioNetHeader(0, 0, 0, 65536, 0, 0)).hasMessage("gsoSize: 65536 (expected: 0..65535)");
    }
}
