package io.vine.security.crypto;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;

/**
 * The ChaCha20-Poly1305 AEAD of RFC 8439 (section 2.8) with a fixed 256-bit key: byte for byte the
 * JDK's {@code "ChaCha20-Poly1305"} cipher, in three implementations (see {@link Implementation}).
 *
 * <p>{@code seal} and {@code open} work like {@code Cipher.doFinal(ByteBuffer, ByteBuffer)}: they
 * consume all remaining bytes of the input, write from the output's position and advance it, and
 * accept heap and direct buffers. The output may be the very same memory as the input (in place:
 * same buffer and position, or two views of it). On a wrong tag {@code open} throws
 * {@link AEADBadTagException}, leaves both positions unchanged and leaves no plaintext in
 * {@code out}: the Java implementations authenticate before they write, {@link Implementation#LIBCRYPTO}
 * zeroes what it wrote (so an in-place open that fails leaves zeros where the ciphertext was).
 *
 * <p>Instances are not thread-safe: use one per direction of a connection, and {@link #close()} it
 * when the connection ends (this frees libcrypto's native context; a no-op for the Java ones). The
 * caller must never use a nonce twice with the same key.
 */
public interface ChaCha20Poly1305 extends AutoCloseable {
    int KEY_LENGTH = 32;
    int NONCE_LENGTH = 12;
    int TAG_LENGTH = 16;

    /** The ways to compute ChaCha20-Poly1305. */
    enum Implementation {
        /**
         * The system's libcrypto (OpenSSL 3, {@code EVP_chacha20_poly1305}) through the Foreign
         * Function &amp; Memory API: the fastest where present (assembly for AVX2, AVX-512 and NEON).
         * Needs Java 22 or newer, the native library, and native access for vine's code
         * ({@code --enable-native-access=ALL-UNNAMED}, or the jar manifest's {@code Enable-Native-Access});
         * it is used only after it passes a known-answer test at first use.
         */
        LIBCRYPTO,
        /**
         * The JDK's intrinsified {@code "ChaCha20"} cipher for the key stream and vine's Poly1305 on
         * 64-bit multiplies: fast on every CPU.
         */
        VINE,
        /**
         * The JDK's {@code "ChaCha20-Poly1305"} cipher: fastest where the JVM has a Poly1305 intrinsic
         * (x86-64 with AVX-512 IFMA or AVX-IFMA), several times slower elsewhere.
         */
        JDK;

        /**
         * The fastest implementation for this JVM and CPU, chosen once: {@link #LIBCRYPTO} when it is
         * {@link #isAvailable() available}; else {@link #JDK} where the JDK's Poly1305 is intrinsified
         * (HotSpot's {@code UsePoly1305Intrinsics} when readable, else the CPU's features: AVX-512 IFMA
         * or AVX-IFMA on x86-64, and AArch64); else {@link #VINE}. The system property
         * {@code io.vine.crypto.chacha20poly1305} ({@code libcrypto}, {@code vine} or {@code jdk})
         * overrides the choice; an unavailable {@code libcrypto} falls back to the Java choice with a
         * warning. The choice is logged (at debug level) by {@code io.vine.security.crypto}.
         */
        public static Implementation preferred() {
            return ImplementationChoice.PREFERRED;
        }

        /** Whether {@link ChaCha20Poly1305#create(byte[], Implementation)} works with this implementation here. */
        public boolean isAvailable() {
            return unavailableReason().isEmpty();
        }

        /** Why this implementation cannot be used here; empty when it can. */
        public java.util.Optional<String> unavailableReason() {
            return this == LIBCRYPTO ? java.util.Optional.ofNullable(Libcrypto.unavailableReason()) : java.util.Optional.empty();
        }
    }

    /**
     * The number of libcrypto cipher contexts that exist now (created and not yet closed or
     * collected): for leak checks and monitoring. Always 0 without the libcrypto backend.
     */
    static long liveNativeContexts() {
        return Libcrypto.liveContexts();
    }

    /** A ChaCha20-Poly1305 with the {@link Implementation#preferred() preferred} implementation. */
    static ChaCha20Poly1305 create(byte[] key) {
        return create(key, Implementation.preferred());
    }

    /** A ChaCha20-Poly1305 with the given implementation and the 32-byte {@code key} (copied). */
    static ChaCha20Poly1305 create(byte[] key, Implementation implementation) {
        requireNonNull(key, "key");
        requireNonNull(implementation, "implementation");
        if (key.length != KEY_LENGTH) {
            throw new IllegalArgumentException("key: " + key.length + " bytes (expected: " + KEY_LENGTH + ")");
        }
        return switch (implementation) {
            case VINE -> new VineChaCha20Poly1305(key);
            case JDK -> new JdkChaCha20Poly1305(key);
            case LIBCRYPTO -> Libcrypto.create(key);
        };
    }

    Implementation implementation();

    /**
     * Releases what this instance holds outside the Java heap (libcrypto's context; the Java
     * implementations hold nothing). A closed libcrypto instance throws {@link IllegalStateException}
     * from {@code seal} and {@code open}. Idempotent; not to be called while another thread uses the
     * instance.
     */
    @Override
    default void close() {}

    /**
     * Encrypts all remaining bytes of {@code plaintext} into {@code out}, followed by the 16-byte tag.
     *
     * @param nonce 12 bytes, never reused with this key
     * @param aad the associated data, authenticated but not encrypted (may be empty)
     * @return the number of bytes written: {@code plaintext.remaining() + 16}
     * @throws javax.crypto.ShortBufferException if {@code out} has less room than that
     */
    int seal(byte[] nonce, byte[] aad, ByteBuffer plaintext, ByteBuffer out) throws GeneralSecurityException;

    /**
     * Authenticates all remaining bytes of {@code ciphertext} (with its trailing 16-byte tag) and
     * decrypts them into {@code out}.
     *
     * @return the number of bytes written: {@code ciphertext.remaining() - 16}
     * @throws AEADBadTagException if the input is shorter than a tag or does not authenticate
     * @throws javax.crypto.ShortBufferException if {@code out} has less room than the plaintext
     */
    int open(byte[] nonce, byte[] aad, ByteBuffer ciphertext, ByteBuffer out) throws GeneralSecurityException;

    /** {@link #seal(byte[], byte[], ByteBuffer, ByteBuffer)} into a new array. */
    default byte[] seal(byte[] nonce, byte[] aad, byte[] plaintext) throws GeneralSecurityException {
        byte[] out = new byte[plaintext.length + TAG_LENGTH];
        seal(nonce, aad, ByteBuffer.wrap(plaintext), ByteBuffer.wrap(out));
        return out;
    }

    /** {@link #open(byte[], byte[], ByteBuffer, ByteBuffer)} into a new array. */
    default byte[] open(byte[] nonce, byte[] aad, byte[] ciphertext) throws GeneralSecurityException {
        if (ciphertext.length < TAG_LENGTH) {
            throw new AEADBadTagException(
                    "ciphertext: " + ciphertext.length + " bytes (expected: >= " + TAG_LENGTH + ")");
        }
        byte[] out = new byte[ciphertext.length - TAG_LENGTH];
        open(nonce, aad, ByteBuffer.wrap(ciphertext), ByteBuffer.wrap(out));
        return out;
    }
}
