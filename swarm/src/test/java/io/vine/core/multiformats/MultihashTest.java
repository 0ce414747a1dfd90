package io.vine.core.multiformats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class MultihashTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void sha256AndIdentity() {
        Multihash mh = Multihash.sha256("foo".getBytes(StandardCharsets.US_ASCII));
        assertThat(HEX.formatHex(mh.toBytes()))
                .isEqualTo("12202c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae");
        assertThat(Multihash.decode(mh.toBytes())).isEqualTo(mh);
        Multihash id = Multihash.identity(new byte[] {1, 2, 3});
        assertThat(id.toBytes()).isEqualTo(new byte[] {0, 3, 1, 2, 3});
        assertThat(Multihash.decode(new byte[] {0, 0}).digest()).isEmpty();
    }

    @Test
    void multiByteVarints() {
        Multihash mh = Multihash.of(0xb220, new byte[200]);
        byte[] bytes = mh.toBytes();
        assertThat(HEX.formatHex(bytes, 0, 5)).isEqualTo("a0e402c801");
        assertThat(Multihash.decode(bytes)).isEqualTo(mh);
    }

    @Test
    void malformedInputIsRejected() {
        assertThatThrownBy(() -> Multihash.decode(new byte[0])).hasMessageContaining("truncated code");
        assertThatThrownBy(() -> Multihash.decode(new byte[] {0x12})).hasMessageContaining("truncated length");
        assertThatThrownBy(() -> Multihash.decode(new byte[] {0, 3, 1})).hasMessageContaining("but 1 bytes follow");
        assertThatThrownBy(() -> Multihash.decode(new byte[] {0, 1, 1, 2})).hasMessageContaining("but 2 bytes follow");
        assertThatThrownBy(() -> Multihash.decode(HEX.parseHex("1203010203"))).hasMessageContaining("expected: 32");
        assertThatThrownBy(() -> Multihash.decode(HEX.parseHex("8000" + "00"))).hasMessageContaining("non-minimal");
        assertThatThrownBy(() -> Multihash.decode(HEX.parseHex("ffffffffffffffffff01")))
                .hasMessageContaining("longer than 9 bytes");
        assertThatThrownBy(() -> Multihash.decode(HEX.parseHex("00ffff03")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected: <=");
    }
}
