package io.vine.security.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class Poly1305Test {
    private static final BigInteger P = BigInteger.ONE.shiftLeft(130).subtract(BigInteger.valueOf(5));

    @ParameterizedTest(name = "RFC 8439 Poly1305 vector {0}")
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11})
    void rfcVectors(int n) {
        byte[] key = Rfc8439Vectors.get("poly1305." + n + ".key");
        byte[] text = Rfc8439Vectors.get("poly1305." + n + ".text");
        assertThat(mac(key, text)).isEqualTo(Rfc8439Vectors.get("poly1305." + n + ".tag"));
        assertThat(reference(key, text)).as("the reference implementation").isEqualTo(Rfc8439Vectors.get("poly1305." + n + ".tag"));
    }

    @Test
    void matchesBigIntegerReferenceOnRandomAndExtremeInput() {
        SplittableRandom random = new SplittableRandom(1305);
        for (int i = 0; i < 2000; i++) {
            byte[] key = new byte[32];
            byte[] text = new byte[random.nextInt(200)];
            switch (i % 4) {
                case 0 -> { // random
                    random.nextBytes(key);
                    random.nextBytes(text);
                }
                case 1 -> { // all ones: the largest limbs, every carry taken
                    Arrays.fill(key, (byte) 0xff);
                    Arrays.fill(text, (byte) 0xff);
                }
                case 2 -> { // largest r, random text
                    Arrays.fill(key, (byte) 0xff);
                    random.nextBytes(text);
                }
                default -> { // random r, text of 0xff and 0x00 runs
                    random.nextBytes(key);
                    for (int j = 0; j < text.length; j++) {
                        text[j] = (j / 8 + i) % 3 == 0 ? 0 : (byte) 0xff;
                    }
                }
            }
            assertThat(mac(key, text)).as("key %s, %d bytes", java.util.HexFormat.of().formatHex(key), text.length)
                    .isEqualTo(reference(key, text));
        }
    }

    @Test
    void reusableAfterInit() {
        byte[] key = Rfc8439Vectors.get("poly1305.0.key");
        byte[] text = Rfc8439Vectors.get("poly1305.0.text");
        Poly1305 poly = new Poly1305();
        byte[] tag = new byte[16];
        for (int i = 0; i < 3; i++) {
            poly.init(key, 0);
            poly.updateMessage(text, 0, text.length);
            poly.finish(tag, 0);
            assertThat(tag).isEqualTo(Rfc8439Vectors.get("poly1305.0.tag"));
        }
    }

    private static byte[] mac(byte[] key, byte[] text) {
        Poly1305 poly = new Poly1305();
        poly.init(key, 0);
        poly.updateMessage(text, 0, text.length);
        byte[] tag = new byte[16];
        poly.finish(tag, 0);
        return tag;
    }

    /** RFC 8439 section 2.5.1, on BigInteger. */
    static byte[] reference(byte[] key, byte[] text) {
        BigInteger r = le(Arrays.copyOfRange(key, 0, 16)).and(new BigInteger("0ffffffc0ffffffc0ffffffc0fffffff", 16));
        BigInteger s = le(Arrays.copyOfRange(key, 16, 32));
        BigInteger acc = BigInteger.ZERO;
        for (int i = 0; i < text.length; i += 16) {
            byte[] block = Arrays.copyOfRange(text, i, Math.min(i + 16, text.length));
            BigInteger n = le(block).setBit(8 * block.length);
            acc = acc.add(n).multiply(r).mod(P);
        }
        byte[] big = acc.add(s).toByteArray();
        byte[] tag = new byte[16];
        for (int i = 0; i < 16 && i < big.length; i++) {
            tag[i] = big[big.length - 1 - i];
        }
        return tag;
    }

    private static BigInteger le(byte[] b) {
        byte[] be = new byte[b.length + 1];
        for (int i = 0; i < b.length; i++) {
            be[b.length - i] = b[i];
        }
        return new BigInteger(be);
    }
}
