package io.vine.security.noise;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Noise {@code SymmetricState} (Noise spec, section 5.2) with SHA-256 (section 12.5): the
 * chaining key, the handshake hash, and the handshake's {@link CipherState}. HKDF is the one of
 * section 4.3, on HMAC-SHA256.
 */
final class SymmetricState {
    static final int HASH_LENGTH = 32;

    private final MessageDigest sha256;
    private final Mac hmac;
    private final CipherState cipher = new CipherState();
    private byte[] ck;
    private byte[] h;

    /** InitializeSymmetric(protocolName). */
    SymmetricState(String protocolName) {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
            hmac = Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available in this JDK", e);
        }
        byte[] name = protocolName.getBytes(StandardCharsets.US_ASCII);
        h = name.length <= HASH_LENGTH ? Arrays.copyOf(name, HASH_LENGTH) : sha256.digest(name);
        ck = h.clone();
    }

    /** MixKey(ikm): derive a new chaining key and cipher key from a DH output. */
    void mixKey(byte[] ikm) {
        byte[][] out = hkdf(ck, ikm, 2);
        ck = out[0];
        cipher.initializeKey(out[1]);
    }

    /** MixHash(data): h = HASH(h || data). */
    void mixHash(byte[] data) {
        sha256.update(h);
        sha256.update(data);
        h = sha256.digest();
    }

    /** EncryptAndHash(plaintext). */
    byte[] encryptAndHash(byte[] plaintext) throws GeneralSecurityException {
        byte[] ciphertext = cipher.encryptWithAd(h, plaintext);
        mixHash(ciphertext);
        return ciphertext;
    }

    /** DecryptAndHash(ciphertext). */
    byte[] decryptAndHash(byte[] ciphertext) throws GeneralSecurityException {
        byte[] plaintext = cipher.decryptWithAd(h, ciphertext);
        mixHash(ciphertext);
        return plaintext;
    }

    /** Whether a key has been mixed in, so that payloads are encrypted (and carry a 16-byte tag). */
    boolean hasKey() {
        return cipher.hasKey();
    }

    /** Split(): the cipher states for initiator-to-responder and responder-to-initiator traffic. */
    CipherState[] split() {
        byte[][] out = hkdf(ck, new byte[0], 2);
        CipherState c1 = new CipherState();
        c1.initializeKey(out[0]);
        CipherState c2 = new CipherState();
        c2.initializeKey(out[1]);
        Arrays.fill(ck, (byte) 0);
        cipher.close(); // the handshake's cipher is done
        return new CipherState[] {c1, c2};
    }

    /** Frees the handshake's cipher (when the handshake ends without a split). */
    void close() {
        cipher.close();
    }

    /** The handshake hash h, which identifies the handshake (for channel binding and tests). */
    byte[] handshakeHash() {
        return h.clone();
    }

    /** HKDF(chainingKey, inputKeyMaterial, numOutputs) of Noise spec section 4.3. */
    private byte[][] hkdf(byte[] chainingKey, byte[] ikm, int outputs) {
        byte[] tempKey = hmac(chainingKey, ikm);
        byte[][] out = new byte[outputs][];
        byte[] prev = new byte[0];
        for (int i = 0; i < outputs; i++) {
            byte[] input = Arrays.copyOf(prev, prev.length + 1);
            input[prev.length] = (byte) (i + 1);
            prev = hmac(tempKey, input);
            out[i] = prev;
        }
        Arrays.fill(tempKey, (byte) 0);
        return out;
    }

    private byte[] hmac(byte[] key, byte[] data) {
        try {
            hmac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (java.security.InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
        return hmac.doFinal(data);
    }
}
