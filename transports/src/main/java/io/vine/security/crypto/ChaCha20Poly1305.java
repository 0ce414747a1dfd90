package io.vine.security.crypto;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;

/**
 * The ChaCha20-Poly1305 AEAD of RFC 8439 (section 2.8) with a fixed 256-bit key: byte for byte the
 * JDK's {@code "ChaCha20-Poly1305"} cipher, in two implementations (see {@link Implementation}).
 *
 * <p>{@code seal} and {@code open} work like {@code Cipher.doFinal(ByteBuffer, ByteBuffer)}: they
 * consume all remaining bytes of the input, write from the output's position and advance it, and
 * accept heap and direct buffers. {@code open} authenticates before it writes any plaintext; on a
 * wrong tag it throws {@link AEADBadTagException} and leaves both buffers untouched.
 *
 * <p>Instances are not thread-safe: use one per direction of a connection. The caller must never
 * use a nonce twice with the same key.
 */
public interface ChaCha20Poly1305 {
    int KEY_LENGTH = 32;
    int NONCE_LENGTH = 12;
    int TAG_LENGTH = 16;

    /** The ways to compute ChaCha20-Poly1305. */
    enum Implementation {
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
         * The faster implementation for this JVM and CPU: {@link #JDK} where the JDK's Poly1305 is
         * intrinsified (HotSpot's {@code UsePoly1305Intrinsics} when readable, else the CPU's features:
         * AVX-512 IFMA or AVX-IFMA on x86-64, and AArch64), else {@link #VINE}. The system property
         * {@code io.vine.crypto.chacha20poly1305} ({@code vine} or {@code jdk}) overrides the choice.
         */
        public static Implementation preferred() {
            return ImplementationChoice.PREFERRED;
        }
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
        };
    }

    Implementation implementation();

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
