package io.vine.core.multiformats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Base58Test {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void knownValues() {
        // draft-msporny-base58 examples.
        assertThat(Base58.encode("Hello World!".getBytes(StandardCharsets.US_ASCII))).isEqualTo("2NEpo7TZRRrLZSi2U");
        assertThat(Base58.encode("The quick brown fox jumps over the lazy dog.".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("USm3fpXnKG5EUBx2ndxBDMPVciP5hGey2Jh4NDv6gmeo1LkMeiKrLJUUBk6Z");
        assertThat(Base58.encode(HEX.parseHex("0000287fb4cd"))).isEqualTo("11233QC4");
        assertThat(Base58.decode("11233QC4")).isEqualTo(HEX.parseHex("0000287fb4cd"));
    }

    @Test
    void emptyAndZeros() {
        assertThat(Base58.encode(new byte[0])).isEmpty();
        assertThat(Base58.decode("")).isEmpty();
        assertThat(Base58.encode(new byte[3])).isEqualTo("111");
        assertThat(Base58.decode("111")).isEqualTo(new byte[3]);
        assertThat(Base58.encode(new byte[] {0, 0, 1})).isEqualTo("112");
        assertThat(Base58.encode(new byte[] {(byte) 0xff})).isEqualTo("5Q");
        assertThat(Base58.decode("z")).isEqualTo(new byte[] {57});
        assertThat(Base58.decode("21")).isEqualTo(new byte[] {58});
    }

    @Test
    void randomRoundTrips() {
        Random r = new Random(1);
        for (int i = 0; i < 500; i++) {
            byte[] b = new byte[r.nextInt(60)];
            r.nextBytes(b);
            if (b.length > 0 && r.nextBoolean()) {
                b[0] = 0;
            }
            assertThat(Base58.decode(Base58.encode(b))).isEqualTo(b);
        }
    }

    @Test
    void invalidCharactersAreRejected() {
        for (String bad : new String[] {"0", "O", "I", "l", "abc+", "é", " 2", "2 "}) {
            assertThatThrownBy(() -> Base58.decode(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid character");
        }
    }
}
