package io.vine.core.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class VarintFrameCodecTest {
    private static final HexFormat HEX = HexFormat.of();
    private EmbeddedChannel channel;

    @AfterEach
    void finish() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
    }

    private static ByteBuf hex(String hex) {
        return Unpooled.wrappedBuffer(HEX.parseHex(hex));
    }

    private String readFrame() {
        ByteBuf frame = channel.readInbound();
        assertThat(frame).isNotNull();
        try {
            return frame.toString(StandardCharsets.UTF_8);
        } finally {
            frame.release();
        }
    }

    @Test
    void decodesFramesSplitAndJoinedArbitrarily() {
        channel = new EmbeddedChannel(new VarintFrameDecoder(1024));
        byte[] big = new byte[300];
        java.util.Arrays.fill(big, (byte) 'x');
        ByteBuf all = Unpooled.buffer();
        all.writeBytes(HEX.parseHex("03616263")).writeBytes(HEX.parseHex("00"))
                .writeBytes(HEX.parseHex("ac02")).writeBytes(big);
        byte[] bytes = ByteBufUtil.getBytes(all);
        all.release();
        for (byte b : bytes) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        assertThat(readFrame()).isEqualTo("abc");
        assertThat(readFrame()).isEmpty();
        assertThat(readFrame()).isEqualTo(new String(big, StandardCharsets.UTF_8));
        assertThat(channel.inboundMessages()).isEmpty();

        channel.writeInbound(Unpooled.wrappedBuffer(bytes));
        assertThat(readFrame()).isEqualTo("abc");
        assertThat(readFrame()).isEmpty();
        assertThat(readFrame()).hasSize(300);
    }

    @Test
    void rejectsTooLongFrameBeforeBufferingIt() {
        channel = new EmbeddedChannel(new VarintFrameDecoder(16));
        // Claims 2^62 bytes: must fail on the prefix alone.
        assertThatThrownBy(() -> channel.writeInbound(hex("808080808080808040")))
                .isInstanceOf(TooLongFrameException.class)
                .hasMessage("frame length: 4611686018427387904 (expected: <= 16)");
        // Everything after a fatal error is discarded, not parsed as frames.
        channel.writeInbound(hex("03616263"));
        assertThat(channel.inboundMessages()).isEmpty();
    }

    @Test
    void acceptsFrameOfExactlyMaxLength() {
        channel = new EmbeddedChannel(new VarintFrameDecoder(3));
        channel.writeInbound(hex("03616263"));
        assertThat(readFrame()).isEqualTo("abc");
        assertThatThrownBy(() -> channel.writeInbound(hex("04")))
                .isInstanceOf(TooLongFrameException.class);
    }

    @Test
    void rejectsMalformedPrefixes() {
        channel = new EmbeddedChannel(new VarintFrameDecoder(1024));
        assertThatThrownBy(() -> channel.writeInbound(hex("8000")))
                .isInstanceOf(CorruptedFrameException.class).hasMessageContaining("not minimally encoded");
        channel.finishAndReleaseAll();

        channel = new EmbeddedChannel(new VarintFrameDecoder(1024));
        assertThatThrownBy(() -> channel.writeInbound(hex("ffffffffffffffffff01")))
                .isInstanceOf(CorruptedFrameException.class).hasMessageContaining("longer than 9 bytes");
    }

    @Test
    void truncatedInputWaitsAndIsReleasedOnClose() {
        channel = new EmbeddedChannel(new VarintFrameDecoder(1024));
        channel.writeInbound(hex("0561"));
        channel.writeInbound(hex("80"));
        assertThat(channel.inboundMessages()).isEmpty();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void rejectsBadMaxFrameLength() {
        assertThatThrownBy(() -> new VarintFrameDecoder(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxFrameLength: 0 (expected: > 0)");
        assertThatThrownBy(() -> new VarintFramePrepender(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxFrameLength: -1 (expected: > 0)");
    }

    @Test
    void prependerRoundTripsThroughDecoder() {
        channel = new EmbeddedChannel(new VarintFramePrepender(), new VarintFrameDecoder(1024));
        channel.writeOutbound(Unpooled.copiedBuffer("abc", StandardCharsets.UTF_8));
        channel.writeOutbound(Unpooled.EMPTY_BUFFER);
        channel.writeOutbound(Unpooled.wrappedBuffer(new byte[200]));
        ByteBuf wire = Unpooled.buffer();
        for (Object o; (o = channel.readOutbound()) != null; ) {
            ByteBuf b = (ByteBuf) o;
            wire.writeBytes(b);
            b.release();
        }
        assertThat(ByteBufUtil.hexDump(wire, 0, 6)).isEqualTo("036162630" + "0c8");
        channel.writeInbound(wire);
        assertThat(readFrame()).isEqualTo("abc");
        assertThat(readFrame()).isEmpty();
        assertThat(readFrame()).hasSize(200);
    }

    @Test
    void prependerRefusesOversizedFrame() {
        channel = new EmbeddedChannel(new VarintFramePrepender(2));
        ByteBuf msg = Unpooled.copiedBuffer("abc", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> channel.writeOutbound(msg))
                .isInstanceOf(EncoderException.class).hasMessageContaining("frame length: 3 (expected: <= 2)");
        assertThat(msg.refCnt()).isZero();
    }
}
