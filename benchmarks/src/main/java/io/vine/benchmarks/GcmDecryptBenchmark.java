package io.vine.benchmarks;

import io.vine.security.tls.TlsSecurity;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Opening one full TLS 1.3 record (16 KiB of data and its content type) in place in a heap array, as
 * the JDK's TLS engine does, with the JDK's AES-GCM ("SunJCE": two passes, GHASH then AES-CTR) and
 * with the provider TlsSecurity puts in front of it ("VineAesGcm": the JDK's fused path on a copy of
 * the ciphertext). Each operation first copies the sealed record into the working array (both
 * variants pay it). Bytes per second = ops/s x 16401.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class GcmDecryptBenchmark {
    /** One full TLS 1.3 record's plaintext: 16 KiB of data and the content type byte. */
    static final int RECORD = 16 * 1024 + 1;

    @Param({"SunJCE", "VineAesGcm"})
    public String provider;

    private final byte[] aad = {23, 3, 3, 0x40, 0x11};
    private Cipher cipher;
    private SecretKeySpec key;
    private GCMParameterSpec spec;
    private byte[] sealed;
    private byte[] work;

    @Setup
    public void setup() throws GeneralSecurityException {
        new TlsSecurity(); // installs the VineAesGcm provider
        SplittableRandom random = new SplittableRandom(1);
        byte[] k = new byte[16];
        byte[] nonce = new byte[12];
        byte[] text = new byte[RECORD];
        random.nextBytes(k);
        random.nextBytes(nonce);
        random.nextBytes(text);
        key = new SecretKeySpec(k, "AES");
        spec = new GCMParameterSpec(128, nonce);
        Cipher sealer = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
        sealer.init(Cipher.ENCRYPT_MODE, key, spec);
        sealer.updateAAD(aad);
        sealed = sealer.doFinal(text);
        work = new byte[5 + sealed.length]; // the record header stays in front, as in the engine's buffer
        cipher = Cipher.getInstance("AES/GCM/NoPadding", provider);
    }

    @Benchmark
    public int openInPlace() throws GeneralSecurityException {
        System.arraycopy(sealed, 0, work, 5, sealed.length);
        cipher.init(Cipher.DECRYPT_MODE, key, spec);
        cipher.updateAAD(aad);
        ByteBuffer record = ByteBuffer.wrap(work, 5, sealed.length);
        return cipher.doFinal(record, record.duplicate());
    }
}
