package io.vine.security.crypto;

import static io.vine.security.crypto.ChaCha20Poly1305Test.buffer;
import static io.vine.security.crypto.ChaCha20Poly1305Test.bytes;
import static io.vine.security.crypto.ChaCha20Poly1305Test.create;
import static io.vine.security.crypto.ChaCha20Poly1305Test.nonce;
import static io.vine.security.crypto.ChaCha20Poly1305Test.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vine.security.crypto.ChaCha20Poly1305.Implementation;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The libcrypto backend's availability and lifecycle, and what every implementation must share with
 * it: in-place operation and agreement with the JDK's cipher over many messages on one instance.
 */
class LibcryptoBackendTest {

    @Test
    void availableAndPreferredWhereTheLibraryIs() {
        if (Runtime.version().feature() >= 22 && systemHasLibcrypto3()) {
            assertThat(Implementation.LIBCRYPTO.unavailableReason()).isEmpty();
            if (System.getProperty(ImplementationChoice.PROPERTY, "").isEmpty()) {
                assertThat(Implementation.preferred()).isEqualTo(Implementation.LIBCRYPTO);
            }
        }
        assertThat(Implementation.VINE.isAvailable()).isTrue();
        assertThat(Implementation.JDK.isAvailable()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Implementation.class)
    void inPlaceGivesTheSameBytesAsCopying(Implementation impl) throws Exception {
        SplittableRandom random = new SplittableRandom(22);
        byte[] key = bytes(random, 32);
        // two instances: the JDK refuses to encrypt twice with one key and nonce in one instance
        try (ChaCha20Poly1305 aead = create(key, impl); ChaCha20Poly1305 copying = create(key, impl)) {
            long counter = 0;
            for (int length : new int[] {0, 1, 16, 63, 64, 65, 1500, 65519, random.nextInt(65519)}) {
                for (boolean direct : new boolean[] {false, true}) {
                    byte[] nonce = nonce(counter++);
                    byte[] aad = bytes(random, random.nextInt(3) * 7);
                    byte[] plaintext = bytes(random, length);
                    byte[] copied = copying.seal(nonce, aad, plaintext);

                    int at = 5;
                    ByteBuffer b = buffer(direct, at + length + 16 + 3);
                    b.put(at, plaintext);
                    ByteBuffer in = b.duplicate().position(at).limit(at + length);
                    ByteBuffer out = b.duplicate().position(at).limit(at + length + 16);
                    assertThat(aead.seal(nonce, aad, in, out)).isEqualTo(length + 16);
                    assertThat(slice(b, at, length + 16)).as("seal in place, %d bytes, direct %s", length, direct)
                            .isEqualTo(copied);

                    in = b.duplicate().position(at).limit(at + length + 16);
                    out = b.duplicate().position(at).limit(at + length);
                    assertThat(aead.open(nonce, aad, in, out)).isEqualTo(length);
                    assertThat(slice(b, at, length)).as("open in place").isEqualTo(plaintext);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Implementation.class)
    void randomMessagesBothWaysAgreeWithTheJdk(Implementation impl) throws Exception {
        SplittableRandom random = new SplittableRandom(1305);
        byte[] key = bytes(random, 32);
        try (ChaCha20Poly1305 aead = create(key, impl); ChaCha20Poly1305 jdk = new JdkChaCha20Poly1305(key)) {
            for (long n = 0; n < 300; n++) {
                byte[] nonce = nonce(n * 7919);
                byte[] aad = bytes(random, random.nextInt(4) == 0 ? random.nextInt(100) : 0);
                byte[] plaintext = bytes(random, random.nextInt(4) == 0 ? random.nextInt(65519) : random.nextInt(2000));
                if (random.nextBoolean()) { // seal here, open with the JDK
                    byte[] sealed = aead.seal(nonce, aad, plaintext);
                    assertThat(jdk.open(nonce, aad, sealed)).as("message %d", n).isEqualTo(plaintext);
                } else { // seal with the JDK, open here (into a direct buffer)
                    byte[] sealed = jdk.seal(nonce, aad, plaintext);
                    ByteBuffer out = ByteBuffer.allocateDirect(plaintext.length);
                    aead.open(nonce, aad, ByteBuffer.wrap(sealed), out);
                    assertThat(slice(out, 0, plaintext.length)).as("message %d", n).isEqualTo(plaintext);
                }
            }
        }
    }

    @Test
    void closeFreesTheContextAndLaterUseFailsCleanly() throws Exception {
        ChaCha20Poly1305 aead = create(new byte[32], Implementation.LIBCRYPTO);
        byte[] sealed = aead.seal(nonce(1), new byte[0], new byte[100]);
        assertThat(ChaCha20Poly1305.liveNativeContexts()).isPositive();
        aead.close();
        aead.close(); // idempotent
        assertThatThrownBy(() -> aead.seal(nonce(2), new byte[0], new byte[100])).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> aead.open(nonce(1), new byte[0], sealed)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void unclosedInstancesAreFreedOnceUnreachable() throws Exception {
        create(new byte[32], Implementation.LIBCRYPTO).close();
        for (int i = 0; i < 200; i++) {
            create(bytes(new SplittableRandom(i), 32), Implementation.LIBCRYPTO).seal(nonce(0), new byte[0], new byte[10]);
        }
        assertThat(ChaCha20Poly1305.liveNativeContexts()).isGreaterThanOrEqualTo(200);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (ChaCha20Poly1305.liveNativeContexts() >= 200 && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(50);
        }
        assertThat(ChaCha20Poly1305.liveNativeContexts()).isLessThan(200);
    }

    /** Whether the dynamic linker knows libcrypto.so.3 (Linux) or libcrypto.3.dylib (macOS). */
    private static boolean systemHasLibcrypto3() {
        try {
            Process p = new ProcessBuilder("ldconfig", "-p").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(15, TimeUnit.SECONDS);
            return out.contains("libcrypto.so.3");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
