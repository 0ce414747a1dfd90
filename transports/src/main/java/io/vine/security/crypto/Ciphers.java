package io.vine.security.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
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

    static void checkRoom(ByteBuffer out, int needed) throws ShortBufferException {
        if (out.remaining() < needed) {
            throw new ShortBufferException("out: " + out.remaining() + " bytes remaining (expected: >= " + needed + ")");
        }
    }
}
