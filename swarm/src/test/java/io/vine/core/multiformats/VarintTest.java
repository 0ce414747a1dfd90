package io.vine.core.multiformats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.CorruptedFrameException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VarintTest {
    private static final HexFormat HEX = HexFormat.of();

    private static List<String[]> vectors(String kind) throws IOException {
        try (var in = VarintTest.class.getResourceAsStream("varint-vectors.txt");
                var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return reader.lines()
                    .filter(l -> l.startsWith(kind + " "))
                    .map(l -> l.split(" ", 3))
                    .toList();
        }
    }

    @Test
    void specVectorsEncodeAndDecode() throws IOException {
        List<String[]> valid = vectors("valid");
        assertThat(valid).hasSizeGreaterThanOrEqualTo(8);
        for (String[] v : valid) {
            long value = Long.parseLong(v[1]);
            byte[] bytes = HEX.parseHex(v[2]);
            assertThat(Varint.encode(value)).as(v[1]).isEqualTo(bytes);
            assertThat(Varint.encodedLength(value)).isEqualTo(bytes.length);
            assertThat(Varint.decode(bytes)).isEqualTo(value);
            ByteBuf buf = Varint.write(Unpooled.buffer(), value);
            try {
                assertThat(ByteBufUtil.getBytes(buf)).isEqualTo(bytes);
                assertThat(Varint.read(buf)).isEqualTo(value);
                assertThat(buf.isReadable()).isFalse();
            } finally {
                buf.release();
            }
        }
    }

    @Test
    void invalidVectorsFailWithClearErrors() throws IOException {
        List<String[]> invalid = vectors("invalid");
        assertThat(invalid).hasSizeGreaterThanOrEqualTo(8);
        for (String[] v : invalid) {
            byte[] bytes = HEX.parseHex(v[1]);
            assertThatThrownBy(() -> Varint.decode(bytes)).as(v[1])
                    .isInstanceOf(CorruptedFrameException.class).hasMessageContaining(v[2]);
            ByteBuf buf = Unpooled.wrappedBuffer(bytes);
            try {
                assertThatThrownBy(() -> Varint.read(buf)).as(v[1])
                        .isInstanceOf(CorruptedFrameException.class).hasMessageContaining(v[2]);
                assertThat(buf.readerIndex()).isZero();
                if (v[2].equals("truncated")) {
                    assertThat(Varint.tryRead(buf)).isEqualTo(Varint.INCOMPLETE);
                    assertThat(buf.readerIndex()).isZero();
                }
            } finally {
                buf.release();
            }
        }
    }

    @Test
    void decodeWithOffsetAndTrailingBytes() {
        byte[] bytes = {0x05, (byte) 0xac, 0x02, 0x07};
        assertThat(Varint.decode(bytes, 1)).isEqualTo(300);
        assertThat(Varint.decode(bytes, 3)).isEqualTo(7);
        assertThatThrownBy(() -> Varint.decode(bytes, 4)).hasMessageContaining("truncated");
        assertThatThrownBy(() -> Varint.decode(bytes, 5)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> Varint.decode(new byte[] {0x01, 0x02}))
                .isInstanceOf(CorruptedFrameException.class).hasMessageContaining("1 trailing bytes");
    }

    @Test
    void tryReadLeavesFollowingBytes() {
        ByteBuf buf = Unpooled.wrappedBuffer(new byte[] {(byte) 0x80, 0x01, 0x42});
        try {
            assertThat(Varint.tryRead(buf)).isEqualTo(128);
            assertThat(buf.readByte()).isEqualTo((byte) 0x42);
        } finally {
            buf.release();
        }
    }

    @Test
    void rejectsNegativeValues() {
        assertThatThrownBy(() -> Varint.encode(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("18446744073709551615");
        assertThatThrownBy(() -> Varint.encodedLength(Long.MIN_VALUE)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void randomRoundTripsAndLengthBoundaries() {
        Random random = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            long value = random.nextLong() >>> random.nextInt(64);
            if (value < 0) {
                value = ~value;
            }
            assertThat(Varint.decode(Varint.encode(value))).isEqualTo(value);
        }
        for (int k = 1; k <= 9; k++) {
            long first = 1L << (7 * (k - 1));
            assertThat(Varint.encodedLength(first == 1 ? 0 : first)).isEqualTo(k);
            assertThat(Varint.encodedLength(k == 9 ? Long.MAX_VALUE : (1L << (7 * k)) - 1)).isEqualTo(k);
        }
    }
}
