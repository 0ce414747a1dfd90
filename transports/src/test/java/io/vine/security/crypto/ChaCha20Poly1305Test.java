package io.vine.security.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vine.security.crypto.ChaCha20Poly1305.Implementation;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every implementation against RFC 8439 and, byte for byte, against the JDK's cipher. The libcrypto
 * one must be available wherever the library is (see {@link LibcryptoBackendTest}), so that these
 * tests cannot pass by skipping it.
 */
class ChaCha20Poly1305Test {
    private static final int[] LENGTHS = {0, 1, 15, 16, 17, 31, 63, 64, 65, 127, 128, 129, 1000, 4096, 65519};

    @ParameterizedTest
    @EnumSource(Implementation.class)
    void rfcVectors(Implementation impl) throws Exception {
        for (int n = 0; n < Rfc8439Vectors.AEAD_COUNT; n++) {
            String v = "aead." + n + ".";
            ChaCha20Poly1305 aead = create(Rfc8439Vectors.get(v + "key"), impl);
            byte[] nonce = Rfc8439Vectors.get(v + "nonce");
            byte[] aad = Rfc8439Vectors.get(v + "aad");
            byte[] plaintext = Rfc8439Vectors.get(v + "plaintext");
            byte[] sealed = concat(Rfc8439Vectors.get(v + "ciphertext"), Rfc8439Vectors.get(v + "tag"));
            assertThat(aead.seal(nonce, aad, plaintext)).as(v).isEqualTo(sealed);
            assertThat(aead.open(nonce, aad, sealed)).as(v).isEqualTo(plaintext);
        }
    }

    @ParameterizedTest
    @EnumSource(Implementation.class)
    void sameBytesAsTheJdkCipherForManyLengthsAndBufferKinds(Implementation impl) throws Exception {
        SplittableRandom random = new SplittableRandom(8439);
        byte[] key = bytes(random, 32);
        ChaCha20Poly1305 aead = create(key, impl);
        Cipher jdk = Cipher.getInstance("ChaCha20-Poly1305");
        long counter = 0;
        for (int round = 0; round < 3; round++) {
            for (int length : lengths(random)) {
                for (boolean direct : new boolean[] {false, true}) {
                    byte[] nonce = nonce(counter++);
                    byte[] aad = bytes(random, round == 0 ? 0 : random.nextInt(40));
                    byte[] plaintext = bytes(random, length);
                    jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
                    jdk.updateAAD(aad);
                    byte[] expected = jdk.doFinal(plaintext);

                    // at odd positions inside larger buffers, to catch index mistakes
                    int pad = 1 + random.nextInt(20);
                    ByteBuffer in = buffer(direct, pad + length + pad).position(pad);
                    in.put(plaintext).flip().position(pad);
                    ByteBuffer out = buffer(direct, pad + length + 16 + pad).position(pad);
                    assertThat(aead.seal(nonce, aad, in, out)).isEqualTo(length + 16);
                    assertThat(in.hasRemaining()).isFalse();
                    assertThat(out.position()).isEqualTo(pad + length + 16);
                    assertThat(slice(out, pad, length + 16)).as("%d bytes, direct %s", length, direct).isEqualTo(expected);

                    ByteBuffer opened = buffer(!direct, length + 3).position(3);
                    ByteBuffer sealed = out.flip().position(pad);
                    assertThat(aead.open(nonce, aad, sealed, opened)).isEqualTo(length);
                    assertThat(sealed.hasRemaining()).isFalse();
                    assertThat(slice(opened, 3, length)).isEqualTo(plaintext);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Implementation.class)
    void anyChangedByteFailsAndLeavesBuffersUntouched(Implementation impl) throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        ChaCha20Poly1305 aead = create(bytes(random, 32), impl);
        byte[] aad = bytes(random, 5);
        long counter = 100;
        for (int length : new int[] {0, 1, 17, 64}) {
            byte[] nonce = nonce(counter++); // the JDK refuses to encrypt twice with one nonce
            byte[] sealed = aead.seal(nonce, aad, bytes(random, length));
            for (int i = 0; i < sealed.length; i++) {
                for (boolean direct : new boolean[] {false, true}) {
                    ByteBuffer in = buffer(direct, sealed.length).put(sealed).flip();
                    in.put(i, (byte) (sealed[i] ^ (1 << random.nextInt(8))));
                    ByteBuffer out = buffer(direct, length);
                    assertThatThrownBy(() -> aead.open(nonce, aad, in, out))
                            .as("byte %d of %d changed", i, sealed.length).isInstanceOf(AEADBadTagException.class);
                    assertThat(in.position()).isZero();
                    assertThat(out.position()).isZero();
                    assertThat(slice(out, 0, length)).isEqualTo(new byte[length]);
                }
            }
            byte[] otherNonce = nonce(counter);
            assertThatThrownBy(() -> aead.open(otherNonce, aad, sealed)).isInstanceOf(AEADBadTagException.class);
            assertThatThrownBy(() -> aead.open(nonce, new byte[0], sealed)).isInstanceOf(AEADBadTagException.class);
            assertThat(aead.open(nonce, aad, sealed)).hasSize(length);
        }
        byte[] nonce = nonce(counter);
        byte[] big = aead.seal(nonce, aad, bytes(random, 65519));
        for (int i : new int[] {0, 4096, 65518, 65519, 65534}) {
            byte[] bad = big.clone();
            bad[i] ^= 0x80;
            assertThatThrownBy(() -> aead.open(nonce, aad, bad)).isInstanceOf(AEADBadTagException.class);
        }
    }

    @ParameterizedTest
    @EnumSource(Implementation.class)
    void shortInputAndShortOutput(Implementation impl) throws Exception {
        ChaCha20Poly1305 aead = create(new byte[32], impl);
        assertThatThrownBy(() -> aead.open(nonce(0), new byte[0], new byte[15]))
                .isInstanceOf(AEADBadTagException.class).hasMessageContaining("ciphertext: 15 bytes (expected: >= 16)");
        assertThatThrownBy(() -> aead.seal(nonce(1), new byte[0], ByteBuffer.allocate(10), ByteBuffer.allocate(25)))
                .isInstanceOf(ShortBufferException.class).hasMessageContaining("out: 25 bytes remaining (expected: >= 26)");
        byte[] sealed = aead.seal(nonce(2), new byte[0], new byte[10]);
        assertThatThrownBy(() -> aead.open(nonce(2), new byte[0], ByteBuffer.wrap(sealed), ByteBuffer.allocate(9)))
                .isInstanceOf(ShortBufferException.class);
        assertThatThrownBy(() -> ChaCha20Poly1305.create(new byte[16], impl))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("key: 16 bytes (expected: 32)");
        assertThatThrownBy(() -> aead.seal(null, new byte[0], new byte[1])).isInstanceOf(NullPointerException.class);
    }

    @Test
    void implementationChoice() {
        assertThat(ImplementationChoice.choose("vine")).isEqualTo(Implementation.VINE);
        assertThat(ImplementationChoice.choose(" JDK ")).isEqualTo(Implementation.JDK);
        assertThat(ImplementationChoice.choose("")).isNotNull();
        assertThat(ChaCha20Poly1305.create(new byte[32]).implementation()).isEqualTo(Implementation.preferred());
        assertThat(ImplementationChoice.x86HasIfma(java.util.Set.of("avx2", "avx512f", "avx512ifma", "avx512vl", "avx512bw"))).isTrue();
        assertThat(ImplementationChoice.x86HasIfma(java.util.Set.of("avx2", "avx_ifma"))).isTrue();
        assertThat(ImplementationChoice.x86HasIfma(java.util.Set.of("avx2", "avx512f", "avx512vl", "avx512bw"))).isFalse();
        assertThat(ImplementationChoice.x86HasIfma(java.util.Set.of())).isFalse();
        assertThat(ImplementationChoice.choose("libcrypto"))
                .isEqualTo(Implementation.LIBCRYPTO.isAvailable() ? Implementation.LIBCRYPTO : ImplementationChoice.bestJava());
        assertThat(ImplementationChoice.choose("")).isEqualTo(ImplementationChoice.choose("libcrypto"));
        assertThatThrownBy(() -> ImplementationChoice.choose("openssl"))
                .hasMessage("io.vine.crypto.chacha20poly1305: openssl (expected: libcrypto, vine or jdk)");
    }

    /** A new instance; a test of an implementation that is unavailable here is skipped. */
    static ChaCha20Poly1305 create(byte[] key, Implementation impl) {
        Assumptions.assumeTrue(impl.isAvailable(), () -> impl + ": " + impl.unavailableReason().orElse(""));
        return ChaCha20Poly1305.create(key, impl);
    }

    private static int[] lengths(SplittableRandom random) {
        int[] all = java.util.Arrays.copyOf(LENGTHS, LENGTHS.length + 5);
        for (int i = LENGTHS.length; i < all.length; i++) {
            all[i] = random.nextInt(70_000);
        }
        return all;
    }

    static byte[] nonce(long counter) {
        byte[] n = new byte[12];
        for (int i = 4; i < 12; i++, counter >>>= 8) {
            n[i] = (byte) counter;
        }
        return n;
    }

    static ByteBuffer buffer(boolean direct, int capacity) {
        return direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
    }

    static byte[] slice(ByteBuffer b, int from, int length) {
        byte[] out = new byte[length];
        b.get(from, out);
        return out;
    }

    static byte[] bytes(SplittableRandom random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
