package io.vine.security.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.AEADBadTagException;

/**
 * The known-answer test a loaded libcrypto must pass before vine uses it: the AEAD example of RFC
 * 8439, section 2.8.2, sealed and opened on heap and direct buffers, a changed tag refused, and a
 * second message on the same context (the per-message reset) equal to the JDK's cipher.
 */
final class SelfTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] KEY = HEX.parseHex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
    private static final byte[] NONCE = HEX.parseHex("070000004041424344454647");
    private static final byte[] AAD = HEX.parseHex("50515253c0c1c2c3c4c5c6c7");
    private static final byte[] PLAINTEXT = ("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for"
            + " the future, sunscreen would be it.").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEALED = HEX.parseHex("d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
            + "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fa"
            + "d675945585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b6116" + "1ae10b594f09e26a7e902ecbd0600691");

    private SelfTest() {}

    /** Null when libcrypto computes RFC 8439 correctly, else what went wrong. */
    static String run(Libcrypto.Functions functions) {
        try (ChaCha20Poly1305 aead = new LibcryptoChaCha20Poly1305(functions, KEY)) {
            for (boolean direct : new boolean[] {false, true}) {
                ByteBuffer out = buffer(direct, SEALED.length);
                aead.seal(NONCE, AAD, buffer(direct, PLAINTEXT.length).put(PLAINTEXT).flip(), out);
                if (!Arrays.equals(bytes(out.flip()), SEALED)) {
                    return "RFC 8439 section 2.8.2: wrong ciphertext or tag";
                }
                ByteBuffer opened = buffer(direct, PLAINTEXT.length);
                aead.open(NONCE, AAD, out.rewind(), opened);
                if (!Arrays.equals(bytes(opened.flip()), PLAINTEXT)) {
                    return "RFC 8439 section 2.8.2: wrong plaintext";
                }
            }
            byte[] bad = SEALED.clone();
            bad[bad.length - 1] ^= 1;
            try {
                aead.open(NONCE, AAD, bad);
                return "a changed tag was accepted";
            } catch (AEADBadTagException expected) {
                // as it must be
            }
            byte[] nonce = NONCE.clone();
            nonce[11] ^= 1;
            byte[] expected = new JdkChaCha20Poly1305(KEY).seal(nonce, new byte[0], PLAINTEXT);
            if (!Arrays.equals(aead.seal(nonce, new byte[0], PLAINTEXT), expected)) {
                return "a second message on one context differs from the JDK's cipher";
            }
            return null;
        } catch (GeneralSecurityException | RuntimeException e) {
            return "self-test failed: " + e;
        }
    }

    private static ByteBuffer buffer(boolean direct, int capacity) {
        return direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }
}
