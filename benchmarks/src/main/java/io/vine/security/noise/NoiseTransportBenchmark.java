package io.vine.security.noise;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The Noise transport path of one direction of a connection: a write goes through
 * {@link NoiseRecordEncoder} (split into 65519-byte records, sealed, length-prefixed, on pooled direct
 * buffers), and the encrypted bytes through {@link NoiseRecordDecoder} (opened into fresh buffers),
 * each on an {@link EmbeddedChannel}. One operation moves {@code size} plaintext bytes; bytes per
 * second = ops/s x size, and every byte was both encrypted and decrypted on this one thread.
 *
 * <p>{@code impl} selects the AEAD behind {@link CipherState} through the system property that
 * {@code ChaCha20Poly1305.Implementation.preferred()} reads once per JVM; JMH runs each parameter
 * combination in a fresh fork, so the property is set before the first use.
 */
@State(Scope.Thread)
@Fork(jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class NoiseTransportBenchmark {
    @Param({"libcrypto", "vine", "jdk"})
    public String impl;

    @Param({"1048576", "65519"})
    public int size;

    private EmbeddedChannel encoder;
    private EmbeddedChannel decoder;
    private ByteBuf payload;

    @Setup(Level.Trial)
    public void setup() {
        System.setProperty("io.vine.crypto.chacha20poly1305", impl);
        byte[] key = new byte[CipherState.KEY_LENGTH];
        new SplittableRandom(2).nextBytes(key);
        CipherState send = new CipherState();
        send.initializeKey(key);
        CipherState receive = new CipherState();
        receive.initializeKey(key);
        encoder = new EmbeddedChannel(new NoiseRecordEncoder(send));
        decoder = new EmbeddedChannel(new NoiseRecordDecoder(receive));
        byte[] bytes = new byte[size];
        new SplittableRandom(3).nextBytes(bytes);
        payload = ByteBufAllocator.DEFAULT.directBuffer(size).writeBytes(bytes);
    }

    @Benchmark
    public int roundTrip() {
        encoder.writeOutbound(payload.retainedDuplicate());
        for (Object o; (o = encoder.readOutbound()) != null; ) {
            decoder.writeInbound(o);
        }
        int received = 0;
        for (Object o; (o = decoder.readInbound()) != null; ) {
            ByteBuf plain = (ByteBuf) o;
            received += plain.readableBytes();
            plain.release();
        }
        if (received != size) {
            throw new IllegalStateException("received: " + received + " bytes (expected: " + size + ")");
        }
        return received;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        encoder.finishAndReleaseAll();
        decoder.finishAndReleaseAll();
        payload.release();
    }
}
