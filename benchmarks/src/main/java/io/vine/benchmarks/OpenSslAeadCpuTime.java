package io.vine.benchmarks;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A measurement, not a product path: the system's libcrypto (OpenSSL 3) ChaCha20-Poly1305 called
 * through FFM, per CPU-second like {@link AeadCpuTime}, on native memory and on heap arrays (passed
 * without copying as "critical" downcalls). It shows what an FFM backend would give the Noise record
 * layer, call overhead included, and checks its output against the JDK's.
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar
 * io.vine.benchmarks.OpenSslAeadCpuTime}
 */
public final class OpenSslAeadCpuTime {
    private static final int EVP_CTRL_AEAD_GET_TAG = 0x10;
    private static final int EVP_CTRL_AEAD_SET_TAG = 0x11;
    private static final int SIZE = 65519;

    private final MethodHandle encryptInit;
    private final MethodHandle encryptUpdate;
    private final MethodHandle encryptFinal;
    private final MethodHandle decryptInit;
    private final MethodHandle decryptUpdate;
    private final MethodHandle decryptFinal;
    private final MethodHandle ctrl;
    private final MemorySegment ctx;
    private final MemorySegment outLength;

    private OpenSslAeadCpuTime(SymbolLookup lib, Arena arena, byte[] key, boolean heap) throws Throwable {
        Linker linker = Linker.nativeLinker();
        Linker.Option[] critical = heap ? new Linker.Option[] {Linker.Option.critical(true)} : new Linker.Option[0];
        FunctionDescriptor init = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
        FunctionDescriptor update = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_INT);
        FunctionDescriptor fin = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
        encryptInit = linker.downcallHandle(lib.find("EVP_EncryptInit_ex").orElseThrow(), init, critical);
        encryptUpdate = linker.downcallHandle(lib.find("EVP_EncryptUpdate").orElseThrow(), update, critical);
        encryptFinal = linker.downcallHandle(lib.find("EVP_EncryptFinal_ex").orElseThrow(), fin, critical);
        decryptInit = linker.downcallHandle(lib.find("EVP_DecryptInit_ex").orElseThrow(), init, critical);
        decryptUpdate = linker.downcallHandle(lib.find("EVP_DecryptUpdate").orElseThrow(), update, critical);
        decryptFinal = linker.downcallHandle(lib.find("EVP_DecryptFinal_ex").orElseThrow(), fin, critical);
        ctrl = linker.downcallHandle(lib.find("EVP_CIPHER_CTX_ctrl").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS), critical);
        MethodHandle ctxNew = linker.downcallHandle(lib.find("EVP_CIPHER_CTX_new").orElseThrow(), FunctionDescriptor.of(ADDRESS));
        MethodHandle chachaPoly = linker.downcallHandle(lib.find("EVP_chacha20_poly1305").orElseThrow(), FunctionDescriptor.of(ADDRESS));
        ctx = (MemorySegment) ctxNew.invokeExact();
        MemorySegment cipher = (MemorySegment) chachaPoly.invokeExact();
        outLength = heap ? MemorySegment.ofArray(new int[1]) : arena.allocate(JAVA_INT);
        MemorySegment k = heap ? MemorySegment.ofArray(key) : arena.allocateFrom(java.lang.foreign.ValueLayout.JAVA_BYTE, key);
        check((int) encryptInit.invokeExact(ctx, cipher, MemorySegment.NULL, k, MemorySegment.NULL));
    }

    /** Seals {@code in} into {@code out} (ciphertext, then the 16-byte tag). */
    void seal(MemorySegment nonce, MemorySegment in, MemorySegment out, int length) throws Throwable {
        check((int) encryptInit.invokeExact(ctx, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, nonce));
        check((int) encryptUpdate.invokeExact(ctx, out, outLength, in, length));
        check((int) encryptFinal.invokeExact(ctx, out.asSlice(length), outLength));
        check((int) ctrl.invokeExact(ctx, EVP_CTRL_AEAD_GET_TAG, 16, out.asSlice(length, 16)));
    }

    /** Opens {@code in} (ciphertext and tag, {@code length + 16} bytes) into {@code out}. */
    void open(MemorySegment nonce, MemorySegment in, MemorySegment out, int length) throws Throwable {
        check((int) decryptInit.invokeExact(ctx, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, nonce));
        check((int) ctrl.invokeExact(ctx, EVP_CTRL_AEAD_SET_TAG, 16, in.asSlice(length, 16)));
        check((int) decryptUpdate.invokeExact(ctx, out, outLength, in, length));
        if ((int) decryptFinal.invokeExact(ctx, out.asSlice(length), outLength) <= 0) {
            throw new IllegalStateException("tag mismatch");
        }
    }

    private static void check(int rc) {
        if (rc != 1) {
            throw new IllegalStateException("libcrypto call failed: " + rc);
        }
    }

    public static void main(String[] args) throws Throwable {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        SymbolLookup lib;
        try {
            lib = SymbolLookup.libraryLookup("libcrypto.so.3", Arena.global());
        } catch (IllegalArgumentException e) {
            System.out.println("libcrypto.so.3 not found: " + e.getMessage());
            return;
        }
        SplittableRandom random = new SplittableRandom(5);
        byte[] key = new byte[32];
        random.nextBytes(key);
        byte[] text = new byte[SIZE];
        random.nextBytes(text);
        byte[] nonceBytes = new byte[12];
        System.out.printf("libcrypto ChaCha20-Poly1305 through FFM, Gbit/s per CPU-second, %d-byte records, best of 5%n", SIZE);
        for (boolean heap : new boolean[] {true, false}) {
            try (Arena arena = Arena.ofConfined()) {
                OpenSslAeadCpuTime aead = new OpenSslAeadCpuTime(lib, arena, key, heap);
                MemorySegment nonce = heap ? MemorySegment.ofArray(nonceBytes) : arena.allocate(12);
                MemorySegment plain = heap ? MemorySegment.ofArray(text.clone()) : arena.allocate(SIZE).copyFrom(MemorySegment.ofArray(text));
                MemorySegment sealed = heap ? MemorySegment.ofArray(new byte[SIZE + 16]) : arena.allocate(SIZE + 16);
                MemorySegment opened = heap ? MemorySegment.ofArray(new byte[SIZE]) : arena.allocate(SIZE);

                // the same bytes as the JDK's cipher
                aead.seal(nonce, plain, sealed, SIZE);
                javax.crypto.Cipher jdk = javax.crypto.Cipher.getInstance("ChaCha20-Poly1305");
                jdk.init(javax.crypto.Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(key, "ChaCha20"),
                        new javax.crypto.spec.IvParameterSpec(new byte[12]));
                if (!Arrays.equals(jdk.doFinal(text), sealed.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE))) {
                    throw new IllegalStateException("libcrypto and the JDK disagree");
                }

                double bestSeal = 0;
                double bestOpen = 0;
                long counter = 1;
                for (int round = 0; round < 6; round++) {
                    long start = threads.getCurrentThreadCpuTime();
                    long bytes = 0;
                    while (threads.getCurrentThreadCpuTime() - start < 1_000_000_000L) {
                        for (int i = 0; i < 64; i++, counter++) {
                            nonce.set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, 4, counter);
                            aead.seal(nonce, plain, sealed, SIZE);
                            bytes += SIZE;
                        }
                    }
                    double seal = bytes * 8.0 / (threads.getCurrentThreadCpuTime() - start);
                    start = threads.getCurrentThreadCpuTime();
                    bytes = 0;
                    while (threads.getCurrentThreadCpuTime() - start < 1_000_000_000L) {
                        for (int i = 0; i < 64; i++) {
                            aead.open(nonce, sealed, opened, SIZE);
                            bytes += SIZE;
                        }
                    }
                    double open = bytes * 8.0 / (threads.getCurrentThreadCpuTime() - start);
                    if (round > 0) {
                        bestSeal = Math.max(bestSeal, seal);
                        bestOpen = Math.max(bestOpen, open);
                    }
                }
                System.out.printf("  %-6s seal %6.2f  open %6.2f%n", heap ? "heap" : "native", bestSeal, bestOpen);
            }
        }
    }
}
