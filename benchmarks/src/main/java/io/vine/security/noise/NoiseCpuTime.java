package io.vine.security.noise;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * {@link NoiseTransportBenchmark#roundTrip()} per CPU-second of the measuring thread (as
 * {@code openssl speed} counts), for a figure that holds on a busy machine: 1 MiB writes through the
 * Noise record encoder and decoder, best of 5 rounds of about 1 CPU-second. Every byte is encrypted
 * and decrypted on this one thread, so one direction of a vine-to-vine connection, where the two
 * ends run on different cores, can move about twice this figure.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.vine.security.noise.NoiseCpuTime libcrypto|vine|jdk}
 * (one implementation per JVM: the choice is made once).
 */
public final class NoiseCpuTime {
    private NoiseCpuTime() {}

    public static void main(String[] args) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        NoiseTransportBenchmark bench = new NoiseTransportBenchmark();
        bench.impl = args.length > 0 ? args[0] : "vine";
        bench.size = 1 << 20;
        bench.setup();
        double best = 0;
        try {
            for (int round = 0; round < 6; round++) {
                long start = threads.getCurrentThreadCpuTime();
                long bytes = 0;
                while (threads.getCurrentThreadCpuTime() - start < 1_000_000_000L) {
                    bytes += bench.roundTrip();
                }
                double gbps = bytes * 8.0 / (threads.getCurrentThreadCpuTime() - start);
                if (round > 0) {
                    best = Math.max(best, gbps);
                }
            }
        } finally {
            bench.tearDown();
        }
        System.out.printf("noise record layer, %s AEAD (in use: %s): %.2f Gbit/s of plaintext per CPU-second (encrypt + decrypt on one thread)%n",
                bench.impl, io.vine.security.crypto.ChaCha20Poly1305.Implementation.preferred(), best);
    }
}
