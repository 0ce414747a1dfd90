package io.vine.benchmarks;

import io.vine.security.crypto.ChaCha20Poly1305;
import io.vine.security.crypto.ChaCha20Poly1305.Implementation;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.SplittableRandom;

/**
 * AEAD throughput per CPU-second of the measuring thread, the way {@code openssl speed} counts by
 * default (user CPU time), so the figures compare with it even on a busy machine where wall-clock
 * JMH scores scatter. Seals and opens 65519-byte records (or {@code args[0]} bytes) for each
 * implementation and buffer kind; prints the best of 5 rounds of about 1 CPU-second each.
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar
 * io.vine.benchmarks.AeadCpuTime [size]}
 */
public final class AeadCpuTime {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final byte[] NO_AD = new byte[0];

    private AeadCpuTime() {}

    public static void main(String[] args) throws GeneralSecurityException {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 65519;
        System.out.printf("AEAD Gbit/s per CPU-second, %d-byte records, best of 5 (preferred here: %s)%n",
                size, Implementation.preferred());
        for (Implementation impl : Implementation.values()) {
            if (!impl.isAvailable()) {
                System.out.printf("  %-9s unavailable: %s%n", impl, impl.unavailableReason().orElse(""));
                continue;
            }
            for (boolean direct : new boolean[] {false, true}) {
                double[] r = measure(impl, direct, size);
                System.out.printf("  %-9s %-6s seal %6.2f  open %6.2f%n", impl, direct ? "direct" : "heap", r[0], r[1]);
            }
        }
    }

    private static double[] measure(Implementation impl, boolean direct, int size) throws GeneralSecurityException {
        SplittableRandom random = new SplittableRandom(4);
        byte[] key = new byte[32];
        random.nextBytes(key);
        try (ChaCha20Poly1305 aead = ChaCha20Poly1305.create(key, impl)) {
            return measure(aead, direct, size, random);
        }
    }

    private static double[] measure(ChaCha20Poly1305 aead, boolean direct, int size, SplittableRandom random)
            throws GeneralSecurityException {
        byte[] text = new byte[size];
        random.nextBytes(text);
        ByteBuffer plain = allocate(direct, size).put(text).flip();
        ByteBuffer sealed = allocate(direct, size + 16);
        ByteBuffer opened = allocate(direct, size);
        byte[] nonce = new byte[12];
        long counter = 0;
        double bestSeal = 0;
        double bestOpen = 0;
        for (int round = 0; round < 6; round++) { // round 0 warms up
            long start = THREADS.getCurrentThreadCpuTime();
            long bytes = 0;
            while (THREADS.getCurrentThreadCpuTime() - start < 1_000_000_000L) {
                for (int i = 0; i < 64; i++) {
                    long n = counter++;
                    for (int k = 4; k < 12; k++, n >>>= 8) {
                        nonce[k] = (byte) n;
                    }
                    plain.rewind();
                    sealed.clear();
                    aead.seal(nonce, NO_AD, plain, sealed);
                    bytes += size;
                }
            }
            double seal = bytes * 8.0 / (THREADS.getCurrentThreadCpuTime() - start);
            sealed.flip();
            start = THREADS.getCurrentThreadCpuTime();
            bytes = 0;
            while (THREADS.getCurrentThreadCpuTime() - start < 1_000_000_000L) {
                for (int i = 0; i < 64; i++) {
                    sealed.rewind();
                    opened.clear();
                    aead.open(nonce, NO_AD, sealed, opened);
                    bytes += size;
                }
            }
            double open = bytes * 8.0 / (THREADS.getCurrentThreadCpuTime() - start);
            if (round > 0) {
                bestSeal = Math.max(bestSeal, seal);
                bestOpen = Math.max(bestOpen, open);
            }
        }
        return new double[] {bestSeal, bestOpen};
    }

    private static ByteBuffer allocate(boolean direct, int capacity) {
        return direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
    }
}
