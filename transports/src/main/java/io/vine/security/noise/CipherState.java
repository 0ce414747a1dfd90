package io.vine.security.noise;

import io.vine.security.crypto.ChaCha20Poly1305;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;

/**
 * The Noise {@code CipherState} (Noise spec, section 5.1) with the ChaChaPoly cipher functions
 * (section 12.3): a key, a 64-bit nonce, and one {@link ChaCha20Poly1305} (the preferred one: libcrypto, else the faster of vine's and
 * the JDK's for this CPU). The nonce is encoded as 32 zero bits followed by the 64-bit counter in
 * little-endian order. Not thread-safe: each direction of a connection owns one, and closes it when
 * the connection ends (the libcrypto cipher holds native memory).
 */
final class CipherState implements AutoCloseable {
    static final int TAG_LENGTH = ChaCha20Poly1305.TAG_LENGTH;
    static final int KEY_LENGTH = ChaCha20Poly1305.KEY_LENGTH;
    private static final byte[] NO_AD = new byte[0];

    private final byte[] iv = new byte[ChaCha20Poly1305.NONCE_LENGTH];
    private ChaCha20Poly1305 aead;
    private long nonce; // unsigned; 2^64-1 is reserved
    private boolean closed;

    /** InitializeKey(key). */
    void initializeKey(byte[] k) {
        checkOpen();
        if (aead != null) {
            aead.close(); // rekeyed during the handshake: the old cipher is done
        }
        aead = ChaCha20Poly1305.create(Arrays.copyOf(k, KEY_LENGTH));
        nonce = 0;
    }

    boolean hasKey() {
        return aead != null;
    }

    /** EncryptWithAd(ad, plaintext): the plaintext itself while there is no key. */
    byte[] encryptWithAd(byte[] ad, byte[] plaintext) throws GeneralSecurityException {
        checkOpen();
        if (aead == null) {
            return plaintext.clone();
        }
        return aead.seal(nextNonce(), ad, plaintext);
    }

    /** DecryptWithAd(ad, ciphertext): the ciphertext itself while there is no key. */
    byte[] decryptWithAd(byte[] ad, byte[] ciphertext) throws GeneralSecurityException {
        checkOpen();
        if (aead == null) {
            return ciphertext.clone();
        }
        if (ciphertext.length < TAG_LENGTH) {
            throw new AEADBadTagException("ciphertext: " + ciphertext.length + " bytes (expected: >= 16)");
        }
        return aead.open(nextNonce(), ad, ciphertext);
    }

    /**
     * Encrypts all of {@code in} (no associated data) into {@code out}, which must have room for
     * {@code in.remaining() + 16} bytes. Returns the number of bytes written.
     */
    int encrypt(ByteBuffer in, ByteBuffer out) throws GeneralSecurityException {
        checkOpen();
        return aead.seal(nextNonce(), NO_AD, in, out);
    }

    /**
     * Decrypts and authenticates all of {@code in} (no associated data) into {@code out}, which must
     * have room for {@code in.remaining() - 16} bytes. Returns the number of bytes written.
     *
     * @throws AEADBadTagException if the message was not produced by the peer's matching cipher
     */
    int decrypt(ByteBuffer in, ByteBuffer out) throws GeneralSecurityException {
        checkOpen();
        return aead.open(nextNonce(), NO_AD, in, out);
    }

    /** Frees the cipher; any later use throws {@link IllegalStateException}. Idempotent. */
    @Override
    public void close() {
        closed = true;
        if (aead != null) {
            aead.close();
        }
    }

    boolean isClosed() {
        return closed;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("noise cipher state closed");
        }
    }

    private byte[] nextNonce() throws GeneralSecurityException {
        if (nonce == -1L) {
            throw new GeneralSecurityException("noise nonce exhausted (2^64-1 messages)");
        }
        long n = nonce++;
        for (int i = 4; i < 12; i++) {
            iv[i] = (byte) n;
            n >>>= 8;
        }
        return iv;
    }
}
