package io.vine.core.multiformats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Base32Test {
    @Test
    void rfc4648Vectors() {
        // RFC 4648 section 10, lower case, padding removed.
        String[][] vectors = {
            {"", ""}, {"f", "my"}, {"fo", "mzxq"}, {"foo", "mzxw6"}, {"foob", "mzxw6yq"},
            {"fooba", "mzxw6ytb"}, {"foobar", "mzxw6ytboi"}
        };
        for (String[] v : vectors) {
            byte[] raw = v[0].getBytes(StandardCharsets.US_ASCII);
            assertThat(Base32.encode(raw)).isEqualTo(v[1]);
            assertThat(Base32.decode(v[1])).isEqualTo(raw);
        }
    }

    @Test
    void leadingZerosAndRandomRoundTrips() {
        assertThat(Base32.encode(new byte[] {0, 0})).isEqualTo("aaaa");
        assertThat(Base32.decode("aaaa")).isEqualTo(new byte[2]);
        Random r = new Random(2);
        for (int i = 0; i < 500; i++) {
            byte[] b = new byte[r.nextInt(80)];
            r.nextBytes(b);
            assertThat(Base32.decode(Base32.encode(b))).isEqualTo(b);
        }
    }

    @Test
    void invalidInputIsRejected() {
        for (String bad : new String[] {"MZXQ", "mzx1", "mzx8", "mzxq====", "mz=q", "mzxé"}) {
            assertThatThrownBy(() -> Base32.decode(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid character");
        }
        for (String badLength : new String[] {"a", "abc", "abcdef", "abcdefgha"}) {
            assertThatThrownBy(() -> Base32.decode(badLength)).as(badLength)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid length");
        }
        // "my" is "f"; "mz" sets a trailing bit that no byte holds.
        assertThatThrownBy(() -> Base32.decode("mz"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trailing bits");
    }
}
