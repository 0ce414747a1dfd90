package io.vine.core.codec;

import static io.vine.testing.TestBytes.random;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class CompactingCumulatorTest {
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;

    private ByteBuf direct(byte[] bytes) {
        return alloc.directBuffer(bytes.length).writeBytes(bytes);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void heapGathersDirectReadsIntoOneHeapBufferAndReleasesThem() {
        byte[] first = random(300);
        byte[] second = random(70_000); // more than the first heap buffer holds
        ByteBuf in1 = direct(first);
        ByteBuf in2 = direct(second);
        ByteBuf cumulation = CompactingCumulator.HEAP.cumulate(alloc, Unpooled.EMPTY_BUFFER, in1);
        assertThat(cumulation.hasArray()).isTrue();
        assertThat(cumulation.capacity()).isGreaterThanOrEqualTo(CompactingCumulator.RECORD);
        assertThat(in1.refCnt()).isZero();
        cumulation.skipBytes(100); // the decoder consumed some
        cumulation = CompactingCumulator.HEAP.cumulate(alloc, cumulation, in2);
        assertThat(cumulation.hasArray()).isTrue();
        assertThat(in2.refCnt()).isZero();
        assertThat(ByteBufUtil.getBytes(cumulation)).isEqualTo(concat(Arrays.copyOfRange(first, 100, 300), second));
        cumulation.release();
    }

    @Test
    void heapTakesAHeapReadAsIsAndNeverWritesIntoASharedCumulation() {
        ByteBuf heap = alloc.heapBuffer(64).writeBytes(random(64));
        assertThat(CompactingCumulator.HEAP.cumulate(alloc, Unpooled.EMPTY_BUFFER, heap)).isSameAs(heap);

        heap.retain(); // someone else holds it too
        heap.capacity(1024); // room enough: only the sharing stops an append
        ByteBuf cumulation = CompactingCumulator.HEAP.cumulate(alloc, heap, direct(random(10)));
        assertThat(cumulation).isNotSameAs(heap);
        assertThat(heap.refCnt()).isEqualTo(1);
        assertThat(heap.readableBytes()).isEqualTo(64);
        assertThat(cumulation.readableBytes()).isEqualTo(74);
        heap.release();
        cumulation.release();
    }

    /** Netty's merge cumulator would grow this buffer (copying all 64 bytes); this one moves the 4 pending bytes. */
    @Test
    void consumedBytesMakeRoomInsteadOfGrowingTheBuffer() {
        byte[] first = random(64);
        byte[] second = random(50);
        ByteBuf cumulation = CompactingCumulator.ANY.cumulate(alloc, Unpooled.EMPTY_BUFFER, direct(first));
        cumulation.skipBytes(60);
        ByteBuf in = direct(second);
        ByteBuf after = CompactingCumulator.ANY.cumulate(alloc, cumulation, in);
        assertThat(after).isSameAs(cumulation);
        assertThat(after.capacity()).isEqualTo(64);
        assertThat(in.refCnt()).isZero();
        assertThat(ByteBufUtil.getBytes(after)).isEqualTo(concat(Arrays.copyOfRange(first, 60, 64), second));
        after.release();
    }

    @Test
    void withoutRoomThePendingBytesAloneMoveToALargerBuffer() {
        byte[] first = random(64);
        byte[] second = random(100);
        ByteBuf cumulation = CompactingCumulator.ANY.cumulate(alloc, Unpooled.EMPTY_BUFFER, direct(first));
        cumulation.skipBytes(10);
        ByteBuf after = CompactingCumulator.ANY.cumulate(alloc, cumulation, direct(second));
        assertThat(after).isNotSameAs(cumulation);
        assertThat(cumulation.refCnt()).isZero();
        assertThat(after.isDirect()).isTrue();
        assertThat(after.capacity()).isEqualTo(256); // 154 rounded up to a power of two
        assertThat(ByteBufUtil.getBytes(after)).isEqualTo(concat(Arrays.copyOfRange(first, 10, 64), second));
        after.release();
    }

    /** A decoder handed out a slice of the pending buffer: the slice holds a reference, so the bytes move to a new buffer. */
    @Test
    void aBufferWithSlicesOutIsNotWrittenInto() {
        byte[] first = random(1000);
        ByteBuf cumulation = CompactingCumulator.ANY.cumulate(alloc, Unpooled.EMPTY_BUFFER, direct(first));
        ByteBuf frame = cumulation.readRetainedSlice(990);
        ByteBuf after = CompactingCumulator.ANY.cumulate(alloc, cumulation, direct(random(20)));
        assertThat(after).isNotSameAs(cumulation);
        assertThat(after.readableBytes()).isEqualTo(30);
        assertThat(ByteBufUtil.getBytes(frame)).isEqualTo(Arrays.copyOf(first, 990));
        after.release();
        frame.release();
    }
}
