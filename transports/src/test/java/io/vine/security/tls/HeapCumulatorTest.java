package io.vine.security.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.ssl.SslHandler;
import io.vine.security.ChannelPair;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** The heap cumulator alone, and TLS data crossing when every record arrives in direct memory. */
class HeapCumulatorTest {
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;

    private ByteBuf direct(byte[] bytes) {
        return alloc.directBuffer(bytes.length).writeBytes(bytes);
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    @Test
    void directBytesAreGatheredIntoOneHeapBufferAndTheReadsReleased() {
        byte[] first = random(300);
        byte[] second = random(70_000); // more than the first heap buffer holds: it grows
        ByteBuf in1 = direct(first);
        ByteBuf in2 = direct(second);
        ByteBuf cumulation = HeapCumulator.INSTANCE.cumulate(alloc, Unpooled.EMPTY_BUFFER, in1);
        assertThat(cumulation.hasArray()).isTrue();
        assertThat(in1.refCnt()).isZero();
        cumulation.skipBytes(100); // the decoder consumed some
        cumulation = HeapCumulator.INSTANCE.cumulate(alloc, cumulation, in2);
        assertThat(cumulation.hasArray()).isTrue();
        assertThat(in2.refCnt()).isZero();
        byte[] expected = new byte[200 + second.length];
        System.arraycopy(first, 100, expected, 0, 200);
        System.arraycopy(second, 0, expected, 200, second.length);
        assertThat(ByteBufUtil.getBytes(cumulation)).isEqualTo(expected);
        cumulation.release();
    }

    @Test
    void aHeapReadWithNothingPendingIsUsedAsIsAndASharedCumulationIsNotWrittenInto() {
        ByteBuf heap = alloc.heapBuffer(64).writeBytes(random(64));
        assertThat(HeapCumulator.INSTANCE.cumulate(alloc, Unpooled.EMPTY_BUFFER, heap)).isSameAs(heap);

        heap.retain(); // someone else holds it too
        ByteBuf more = direct(random(10));
        ByteBuf cumulation = HeapCumulator.INSTANCE.cumulate(alloc, heap, more);
        assertThat(cumulation).isNotSameAs(heap);
        assertThat(heap.refCnt()).isEqualTo(1);
        assertThat(heap.readableBytes()).isEqualTo(64);
        assertThat(cumulation.readableBytes()).isEqualTo(74);
        heap.release();
        cumulation.release();
    }

    @Test
    void dataCrossesWhenEveryRecordArrivesInDirectMemoryAsFromASocket() {
        try (ChannelPair wire = new ChannelPair()) {
            var client = TlsOnChannelPair.start(wire, alloc);
            wire.pump();
            assertThat(client).isCompleted();
            assertThat(wire.responder.pipeline().get(SslHandler.class)).isNotNull();

            byte[] payload = random(200_000);
            wire.initiator.writeAndFlush(direct(payload));
            // as from a socket: everything sent arrives in one direct read
            ByteBuf read = alloc.directBuffer();
            for (ByteBuf record : ChannelPair.drain(wire.initiator)) {
                read.writeBytes(record);
                record.release();
            }
            assertThat(read.readableBytes()).isGreaterThan(payload.length);
            wire.responder.writeInbound(read);
            assertThat(ChannelPair.readInboundBytes(wire.responder)).isEqualTo(payload);
        }
    }
}
