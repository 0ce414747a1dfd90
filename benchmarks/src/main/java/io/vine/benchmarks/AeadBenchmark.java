package io.vine.benchmarks;

import io.vine.security.crypto.ChaCha20Poly1305;
import io.vine.security.crypto.ChaCha20Poly1305.Implementation;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.State;

/**
 * ChaCha20-Poly1305 seal and open of one Noise transport message (65519 plaintext bytes, the largest)
 * and of a small one, with each implementation (libcrypto through FFM, vine's, the JDK's), on heap
 * and direct buffers. One operation is one message; bytes per second = ops/s x size.
 */
@State(Scope.Thread)
@Fork(jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AeadBenchmark {
    @Param({"LIBCRYPTO", "VINE", "JDK"})
    public Implementation impl;

    @Param({"65519", "1024"})
    public int size;

    @Param({"false", "true"})
    public boolean direct;

    private static final byte[] NO_AD = new byte[0];
    private ChaCha20Poly1305 aead;
    private ByteBuffer plaintext;
    private ByteBuffer sealed;
    private ByteBuffer opened;
    private final byte[] nonce = new byte[ChaCha20Poly1305.NONCE_LENGTH];
    private final byte[] fixedNonce = new byte[ChaCha20Poly1305.NONCE_LENGTH];
    private ByteBuffer sealedFixed;
    private long counter;

    @Setup
    public void setup() throws GeneralSecurityException {
        SplittableRandom random = new SplittableRandom(1);
        byte[] key = new byte[32];
        random.nextBytes(key);
        aead = ChaCha20Poly1305.create(key, impl);
        byte[] text = new byte[size];
        random.nextBytes(text);
        plaintext = allocate(size).put(text).flip();
        sealed = allocate(size + 16);
        opened = allocate(size);
        fixedNonce[0] = 1; // never produced by the counter below
        sealedFixed = allocate(size + 16);
        aead.seal(fixedNonce, NO_AD, plaintext, sealedFixed);
        sealedFixed.flip();
    }

    @TearDown
    public void tearDown() {
        aead.close();
    }

    @Benchmark
    public int seal() throws GeneralSecurityException {
        long n = counter++;
        for (int i = 4; i < 12; i++, n >>>= 8) {
            nonce[i] = (byte) n;
        }
        plaintext.rewind();
        sealed.clear();
        return aead.seal(nonce, NO_AD, plaintext, sealed);
    }

    @Benchmark
    public int open() throws GeneralSecurityException {
        sealedFixed.rewind();
        opened.clear();
        return aead.open(fixedNonce, NO_AD, sealedFixed, opened);
    }

    private ByteBuffer allocate(int capacity) {
        return direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
    }
}
