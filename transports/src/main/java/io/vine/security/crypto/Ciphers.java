package io.vine.security.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;

/** Small helpers shared by the implementations. */
final class Ciphers {
    private Ciphers() {}

    /** A new JDK cipher that every Java SE 11+ runtime provides. */
    static Cipher get(String transformation) {
        try {
            return Cipher.getInstance(transformation);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(transformation + " is not available in this JDK", e);
        }
    }

    /**
     * The plaintext length of {@code ciphertext} (its remaining bytes less the tag), once it is known
     * to hold a tag and {@code out} to have room for the plaintext.
     */
    static int openedLength(ByteBuffer ciphertext, ByteBuffer out) throws GeneralSecurityException {
        int total = ciphertext.remaining();
        if (total < ChaCha20Poly1305.TAG_LENGTH) {
            throw new AEADBadTagException("ciphertext: " + total + " bytes (expected: >= " + ChaCha20Poly1305.TAG_LENGTH + ")");
        }
        int length = total - ChaCha20Poly1305.TAG_LENGTH;
        checkRoom(out, length);
        return length;
    }

    static void checkRoom(ByteBuffer out, int needed) throws ShortBufferException {
        if (out.remaining() < needed) {
            throw new ShortBufferException("out: " + out.remaining() + " bytes remaining (expected: >= " + needed + ")");
        }
    }
}
