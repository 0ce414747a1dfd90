package io.vine.security.crypto;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * RFC 8439 section 2.8 composed from the JDK's {@code "ChaCha20"} cipher (intrinsified on x86-64 and
 * AArch64) and {@link Poly1305}: block 0 of the key stream gives the one-time Poly1305 key, and the
 * same cipher stream, now at block counter 1, encrypts the text. The tag covers the AAD and the
 * ciphertext, each zero-padded to 16 bytes, then both lengths as 64-bit little-endian numbers.
 */
final class VineChaCha20Poly1305 implements ChaCha20Poly1305 {
    private static final int BLOCK = 64;
    private static final byte[] ZERO_BLOCK = new byte[BLOCK];

    private final SecretKeySpec key;
    private final Cipher chacha;
    private final Poly1305 poly = new Poly1305();
    private final byte[] block0 = new byte[BLOCK];
    private final byte[] tag = new byte[TAG_LENGTH];
    private final byte[] received = new byte[TAG_LENGTH];

    VineChaCha20Poly1305(byte[] key) {
        this.key = new SecretKeySpec(key, "ChaCha20");
        this.chacha = Ciphers.get("ChaCha20");
    }

    @Override
    public Implementation implementation() {
        return Implementation.VINE;
    }

    @Override
    public int seal(byte[] nonce, byte[] aad, ByteBuffer plaintext, ByteBuffer out) throws GeneralSecurityException {
        int length = plaintext.remaining();
        Ciphers.checkRoom(out, length + TAG_LENGTH);
        start(Cipher.ENCRYPT_MODE, nonce, aad);
        int at = out.position();
        chacha.doFinal(plaintext, out);
        poly.updatePadded(out, at, length);
        poly.updateLengths(aad.length, length);
        poly.finish(tag, 0);
        out.put(tag);
        return length + TAG_LENGTH;
    }

    @Override
    public int open(byte[] nonce, byte[] aad, ByteBuffer ciphertext, ByteBuffer out) throws GeneralSecurityException {
        int length = Ciphers.openedLength(ciphertext, out);
        start(Cipher.DECRYPT_MODE, nonce, aad);
        int at = ciphertext.position();
        poly.updatePadded(ciphertext, at, length);
        poly.updateLengths(aad.length, length);
        poly.finish(tag, 0);
        ciphertext.get(at + length, received);
        if (!MessageDigest.isEqual(tag, received)) { // constant time
            throw new AEADBadTagException("ChaCha20-Poly1305: tag mismatch");
        }
        int limit = ciphertext.limit();
        ciphertext.limit(at + length);
        try {
            chacha.doFinal(ciphertext, out);
        } finally {
            ciphertext.limit(limit);
        }
        ciphertext.position(limit);
        return length;
    }

    /** Keys the cipher at block 0, takes the one-time Poly1305 key from it and absorbs the AAD. */
    private void start(int mode, byte[] nonce, byte[] aad) throws GeneralSecurityException {
        requireNonNull(nonce, "nonce");
        requireNonNull(aad, "aad");
        chacha.init(mode, key, new ChaCha20ParameterSpec(nonce, 0));
        chacha.update(ZERO_BLOCK, 0, BLOCK, block0, 0); // the stream continues at block 1
        poly.init(block0, 0);
        Arrays.fill(block0, (byte) 0);
        poly.updatePadded(aad, 0, aad.length);
    }
}
