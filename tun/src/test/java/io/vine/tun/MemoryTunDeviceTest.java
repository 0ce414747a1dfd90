package io.vine.tun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MemoryTunDeviceTest {
    private static final TunConfig CONFIG = TunConfig.builder("vine0").mtu(1500).build();

    private static ByteBuffer packet(int n) {
        return TestPackets.udp4(InetAddress.ofLiteral("10.0.0.1"), 1, InetAddress.ofLiteral("10.0.0.2"), 2, new byte[n]);
    }

    @Test
    void aFrameWrittenOnOneEndIsReadOnTheOther() {
        MemoryTunDevice.Pair pair = MemoryTunDevice.pair(CONFIG);
        assertThat(pair.device().name()).isEqualTo("vine0");
        assertThat(pair.host().name()).isEqualTo("vine0-host");
        assertThat(pair.device().mtu()).isEqualTo(1500);
        assertThat(pair.device().queueCount()).isEqualTo(1);
        assertThat(pair.device().queue(0)).isSameAs(pair.device());

        pair.host().write(packet(10));
        pair.device().write(packet(20));
        ByteBuffer dst = ByteBuffer.allocate(1500);
        assertThat(pair.device().read(dst)).isEqualTo(38);
        assertThat(IpPacket.parse(dst.flip()).totalLength()).isEqualTo(38);
        dst.clear();
        assertThat(pair.host().read(dst, 1, TimeUnit.SECONDS)).isEqualTo(48);
        assertThat(pair.host().read(dst.clear(), 10, TimeUnit.MILLISECONDS)).isZero();
    }

    @Test
    void byteBufReadsAndWritesDoNotLeak() {
        MemoryTunDevice.Pair pair = MemoryTunDevice.pair(CONFIG);
        ByteBuf out = Unpooled.wrappedBuffer(packet(5));
        ByteBuf in = PooledByteBufAllocator.DEFAULT.directBuffer(1500);
        try {
            pair.host().write(out);
            assertThat(out.readableBytes()).isEqualTo(33);
            assertThat(pair.device().read(in, 1, TimeUnit.SECONDS)).isEqualTo(33);
            assertThat(in.readableBytes()).isEqualTo(33);
            assertThat(in.getByte(0)).isEqualTo((byte) 0x45);
        } finally {
            out.release();
            in.release();
        }
    }

    @Test
    void closeWakesTheReaderAndLaterWritesFail() throws Exception {
        MemoryTunDevice.Pair pair = MemoryTunDevice.pair(CONFIG);
        CompletableFuture<Integer> reader = CompletableFuture.supplyAsync(() -> pair.device().read(ByteBuffer.allocate(1500)),
                r -> Thread.ofPlatform().daemon(true).start(r));
        Thread.sleep(100);
        assertThat(reader).isNotDone();
        pair.device().close();
        assertThat(reader.get(2, TimeUnit.SECONDS)).isEqualTo(-1);
        assertThatThrownBy(() -> pair.device().write(packet(1))).isInstanceOf(TunException.class).hasMessage("vine0: closed");
        pair.host().write(packet(1));
        assertThat(pair.host().drops()).isEqualTo(1);
    }

    @Test
    void aFullQueueDropsAndCounts() {
        MemoryTunDevice.Pair pair = MemoryTunDevice.pair(CONFIG, 2);
        for (int i = 0; i < 5; i++) {
            pair.host().write(packet(i));
        }
        assertThat(pair.host().drops()).isEqualTo(3);
        ByteBuffer dst = ByteBuffer.allocate(1500);
        assertThat(pair.device().read(dst, 0, TimeUnit.SECONDS)).isEqualTo(28);
        assertThat(pair.device().read(dst.clear(), 0, TimeUnit.SECONDS)).isEqualTo(29);
        assertThat(pair.device().read(dst.clear(), 0, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void boundsAreChecked() {
        MemoryTunDevice.Pair pair = MemoryTunDevice.pair(CONFIG);
        assertThatThrownBy(() -> pair.device().read(ByteBuffer.allocate(1499)))
                .hasMessage("dst: 1499 bytes remaining (expected: >= 1500)");
        assertThatThrownBy(() -> pair.device().write(ByteBuffer.allocate(1501)))
                .hasMessage("packet: 1501 bytes (expected: 1..1500)");
        assertThatThrownBy(() -> pair.device().write(ByteBuffer.allocate(0)))
                .hasMessage("packet: 0 bytes (expected: 1..1500)");
        assertThatThrownBy(() -> pair.device().queue(1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> MemoryTunDevice.pair(CONFIG, 0)).hasMessage("capacity: 0 (expected: > 0)");
        ByteBuf composite = Unpooled.wrappedBuffer(new byte[800], new byte[800]);
        try {
            assertThatThrownBy(() -> pair.device().read(composite.clear(), 0, TimeUnit.SECONDS))
                    .hasMessage("dst: 2 NIO buffers (expected: 1)");
        } finally {
            composite.release();
        }
    }

    @Test
    void vnetHeaderFramesPassThroughUpToTheOffloadLimit() {
        MemoryTunDevice.Pair pair = MemoryTunDevice.pair(TunConfig.builder("vine0").vnetHdr(true).build());
        assertThat(pair.device().minReadBuffer()).isEqualTo(TunDevice.MAX_OFFLOAD_FRAME);
        ByteBuffer frame = ByteBuffer.allocate(VirtioNetHeader.LENGTH + 5000);
        new VirtioNetHeader(0, VirtioNetHeader.GSO_TCPV4, 40, 1400, 0, 0).encode(frame);
        pair.host().write(frame.clear());
        ByteBuffer dst = ByteBuffer.allocate(TunDevice.MAX_OFFLOAD_FRAME);
        assertThat(pair.device().read(dst)).isEqualTo(5010);
        assertThat(VirtioNetHeader.decode(dst, 0).gsoSize()).isEqualTo(1400);
    }
}
