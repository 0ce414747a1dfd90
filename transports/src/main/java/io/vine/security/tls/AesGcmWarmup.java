package io.vine.security.tls;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets the JDK's AES-GCM compiled before the first connection needs it. The JDK runs AES-GCM on CPU
 * instructions only from code its optimizing compiler has made; until then a fresh JVM encrypts at a
 * small fraction of that speed (measured: 64 MiB of 16 KiB seals took 465 ms in a fresh JVM, 17 ms
 * after this warm-up). The compiler acts on call counts, so a few thousand small records are enough.
 *
 * <p>Once per JVM, when the first {@link TlsSecurity} is made, a daemon thread seals and opens
 * {@value #ROUNDS} records of {@value #RECORD} bytes with a throw-away key, in place in heap and in
 * direct buffers as the JDK's TLS engine does, and ends: about 0.1 s of one core, spent while the
 * process starts, listens and dials. Warming the whole engine (a handshake between two in-memory
 * engines, then records) was tried and was slower: it was still running when the first transfer began.
 * {@code -Dio.vine.tls.warmup=false} turns it off (to measure a cold JVM).
 */
final class AesGcmWarmup {
    static final int ROUNDS = 4000;
    static final int RECORD = 1024;
    private static final int TAG_BITS = 128;
    private static final int TAG_BYTES = TAG_BITS / 8;
    private static final Logger log = LoggerFactory.getLogger(AesGcmWarmup.class);
    private static final AtomicBoolean started = new AtomicBoolean();
    private static final CountDownLatch ended = new CountDownLatch(1);

    private AesGcmWarmup() {}

    /** Starts the warm-up thread unless one was started before or it is turned off. */
    static void startOnce() {
        if (!Boolean.parseBoolean(System.getProperty("io.vine.tls.warmup", "true")) || !started.compareAndSet(false, true)) {
            return;
        }
        Thread thread = new Thread(AesGcmWarmup::run, "vine-tls-warmup");
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether this JVM has started the warm-up. */
    static boolean started() {
        return started.get();
    }

    /** Waits up to {@code timeout} for a started warm-up to end; whether it has (false if none started). */
    static boolean awaitEnd(Duration timeout) throws InterruptedException {
        return started() && ended.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private static void run() {
        long start = System.nanoTime();
        try {
            int intact = run(ROUNDS);
            log.debug("tls: AES-GCM warm-up: {} of {} records in {} ms", intact, ROUNDS,
                    (System.nanoTime() - start) / 1_000_000);
        } catch (Exception | LinkageError e) {
            log.debug("tls: AES-GCM warm-up failed (TLS works, only its first records are slower): {}", e.toString());
        } finally {
            ended.countDown();
        }
    }

    /** Seals and opens {@code rounds} records; returns how many opened to what was sealed. */
    static int run(int rounds) throws Exception {
        SecretKeySpec key = new SecretKeySpec(new byte[16], "AES");
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        ByteBuffer[] buffers = {ByteBuffer.allocate(RECORD + TAG_BYTES), ByteBuffer.allocateDirect(RECORD + TAG_BYTES)};
        byte[] nonce = new byte[12];
        byte[] header = new byte[5];
        int intact = 0;
        for (int i = 0; i < rounds; i++) {
            ByteBuffer record = buffers[i & 1];
            nonce[8] = (byte) (i >>> 24);
            nonce[9] = (byte) (i >>> 16);
            nonce[10] = (byte) (i >>> 8);
            nonce[11] = (byte) i;
            record.clear().limit(RECORD);
            record.put(0, (byte) i);
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(header);
            cipher.doFinal(record, record.duplicate().clear());
            record.clear().limit(RECORD + TAG_BYTES);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(header);
            if (cipher.doFinal(record, record.duplicate().clear()) == RECORD && record.get(0) == (byte) i) {
                intact++;
            }
        }
        return intact;
    }
}
