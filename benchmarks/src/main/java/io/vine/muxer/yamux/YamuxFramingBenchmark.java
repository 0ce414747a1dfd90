package io.vine.muxer.yamux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Yamux Data frames: encoding (header + payload as the session writes them) and decoding through
 * {@link YamuxFrameDecoder} on an {@link EmbeddedChannel}, {@value #FRAMES} frames per invocation, so
 * the scores are frames per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class YamuxFramingBenchmark {
    static final int FRAMES = 16;

    @Param({"65536", "16384", "1024"})
    public int payloadSize;

    private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
    private ByteBuf payload;
    private ByteBuf encoded;
    private EmbeddedChannel decoder;

    @Setup(Level.Trial)
    public void setup() {
        payload = alloc.directBuffer(payloadSize).writeZero(payloadSize);
        encoded = alloc.directBuffer(FRAMES * (YamuxFrame.HEADER_LENGTH + payloadSize));
        for (int i = 0; i < FRAMES; i++) {
            ByteBuf header = YamuxFrame.header(alloc, YamuxFrame.TYPE_DATA, 0, 1 + 2 * i, payloadSize);
            encoded.writeBytes(header).writeBytes(payload, 0, payloadSize);
            header.release();
        }
        decoder = new EmbeddedChannel(new YamuxFrameDecoder(YamuxFrame.DEFAULT_WINDOW));
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public int encode() {
        int bytes = 0;
        for (int i = 0; i < FRAMES; i++) {
            CompositeByteBuf frame = alloc.compositeDirectBuffer(2);
            frame.addComponent(true, YamuxFrame.header(alloc, YamuxFrame.TYPE_DATA, 0, 1 + 2 * i, payloadSize));
            frame.addComponent(true, payload.retainedSlice());
            bytes += frame.readableBytes();
            frame.release();
        }
        return bytes;
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public long decode() {
        decoder.writeInbound(encoded.retainedDuplicate());
        long bytes = 0;
        for (Object o; (o = decoder.readInbound()) != null; ) {
            YamuxFrame frame = (YamuxFrame) o;
            bytes += frame.length();
            frame.release();
        }
        return bytes;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        decoder.finishAndReleaseAll();
        payload.release();
        encoded.release();
    }
}
