package io.vine.security.noise;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Noise {@code CipherState} (Noise spec, section 5.1) with the ChaChaPoly cipher functions
 * (section 12.3): a key, a 64-bit nonce, and one reused JDK {@link Cipher}. The nonce is encoded as
 * 32 zero bits followed by the 64-bit counter in little-endian order. Not thread-safe: each
 * direction of a connection owns one.
 */
final class CipherState {
    static final int TAG_LENGTH = 16;
    static final int KEY_LENGTH = 32;

    private final Cipher cipher;
    private final byte[] iv = new byte[12];
    private SecretKeySpec key;
    private long nonce; // unsigned; 2^64-1 is reserved

    CipherState() {
        try {
            cipher = Cipher.getInstance("ChaCha20-Poly1305");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20-Poly1305 is not available in this JDK", e);
        }
    }

    /** InitializeKey(key). */
    void initializeKey(byte[] k) {
        key = new SecretKeySpec(k, 0, KEY_LENGTH, "ChaCha20");
        nonce = 0;
    }

    boolean hasKey() {
        return key != null;
    }

    /** EncryptWithAd(ad, plaintext): the plaintext itself while there is no key. */
    byte[] encryptWithAd(byte[] ad, byte[] plaintext) throws GeneralSecurityException {
        if (key == null) {
            return plaintext.clone();
        }
        init(Cipher.ENCRYPT_MODE, ad);
        return cipher.doFinal(plaintext);
    }

    /** DecryptWithAd(ad, ciphertext): the ciphertext itself while there is no key. */
    byte[] decryptWithAd(byte[] ad, byte[] ciphertext) throws GeneralSecurityException {
        if (key == null) {
            return ciphertext.clone();
        }
        if (ciphertext.length < TAG_LENGTH) {
            throw new AEADBadTagException("ciphertext: " + ciphertext.length + " bytes (expected: >= 16)");
        }
        init(Cipher.DECRYPT_MODE, ad);
        return cipher.doFinal(ciphertext);
    }

    /**
     * Encrypts all of {@code in} (no associated data) into {@code out}, which must have room for
     * {@code in.remaining() + 16} bytes. Returns the number of bytes written.
     */
    int encrypt(ByteBuffer in, ByteBuffer out) throws GeneralSecurityException {
        init(Cipher.ENCRYPT_MODE, null);
        return cipher.doFinal(in, out);
    }

    /**
     * Decrypts and authenticates all of {@code in} (no associated data) into {@code out}, which must
     * have room for {@code in.remaining() - 16} bytes. Returns the number of bytes written.
     *
     * @throws AEADBadTagException if the message was not produced by the peer's matching cipher
     */
    int decrypt(ByteBuffer in, ByteBuffer out) throws GeneralSecurityException {
        init(Cipher.DECRYPT_MODE, null);
        return cipher.doFinal(in, out);
    }

    private void init(int mode, byte[] ad) throws GeneralSecurityException {
        if (nonce == -1L) {
            throw new GeneralSecurityException("noise nonce exhausted (2^64-1 messages)");
        }
        long n = nonce++;
        for (int i = 4; i < 12; i++) {
            iv[i] = (byte) n;
            n >>>= 8;
        }
        cipher.init(mode, key, new IvParameterSpec(iv));
        if (ad != null) {
            cipher.updateAAD(ad);
        }
    }
}
