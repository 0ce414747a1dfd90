package io.vine.security.crypto;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** The JDK's {@code "ChaCha20-Poly1305"} cipher behind {@link ChaCha20Poly1305}. */
final class JdkChaCha20Poly1305 implements ChaCha20Poly1305 {
    private final SecretKeySpec key;
    private final Cipher cipher;

    JdkChaCha20Poly1305(byte[] key) {
        this.key = new SecretKeySpec(key, "ChaCha20");
        this.cipher = Ciphers.get("ChaCha20-Poly1305");
    }

    @Override
    public Implementation implementation() {
        return Implementation.JDK;
    }

    @Override
    public int seal(byte[] nonce, byte[] aad, ByteBuffer plaintext, ByteBuffer out) throws GeneralSecurityException {
        Ciphers.checkRoom(out, plaintext.remaining() + TAG_LENGTH);
        init(Cipher.ENCRYPT_MODE, nonce, aad);
        return cipher.doFinal(plaintext, out);
    }

    @Override
    public int open(byte[] nonce, byte[] aad, ByteBuffer ciphertext, ByteBuffer out) throws GeneralSecurityException {
        int total = ciphertext.remaining();
        Ciphers.openedLength(ciphertext, out);
        init(Cipher.DECRYPT_MODE, nonce, aad);
        int in = ciphertext.position();
        int at = out.position();
        try {
            return cipher.doFinal(ciphertext, out);
        } catch (GeneralSecurityException e) {
            ciphertext.position(in);
            out.position(at);
            throw e;
        }
    }

    private void init(int mode, byte[] nonce, byte[] aad) throws GeneralSecurityException {
        requireNonNull(nonce, "nonce");
        requireNonNull(aad, "aad");
        cipher.init(mode, key, new IvParameterSpec(nonce));
        if (aad.length > 0) {
            cipher.updateAAD(aad);
        }
    }
}
