package io.vine.tun.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacketFrameDecoderTest {

    private static ByteBuf frame(int length, int fill) {
        ByteBuf b = Unpooled.buffer();
        PacketFrameDecoder.writePrefix(b, length);
        for (int i = 0; i < length; i++) {
            b.writeByte(fill);
        }
        return b;
    }

    @Test
    void framesSplitAcrossReadsComeOutWhole() {
        List<Long> dropped = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(new PacketFrameDecoder(100, dropped::add));
        ByteBuf all = Unpooled.wrappedBuffer(frame(3, 1), frame(100, 2), frame(1, 3));
        while (all.isReadable()) {
            ch.writeInbound(all.readRetainedSlice(Math.min(7, all.readableBytes())));
        }
        all.release();
        int[] lengths = {3, 100, 1};
        for (int len : lengths) {
            ByteBuf f = ch.readInbound();
            assertThat(f.readableBytes()).isEqualTo(len);
            f.release();
        }
        assertThat(dropped).isEmpty();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void oversizedAndEmptyFramesAreSkippedAndTheNextOneStillDecodes() {
        List<Long> dropped = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(new PacketFrameDecoder(100, dropped::add));
        ByteBuf big = frame(5000, 9);
        ch.writeInbound(big.readRetainedSlice(2000));
        ch.writeInbound(big.readRetainedSlice(big.readableBytes()));
        big.release();
        ch.writeInbound(frame(0, 0), frame(4, 7));
        ByteBuf f = ch.readInbound();
        assertThat(f.readableBytes()).isEqualTo(4);
        assertThat(f.getByte(0)).isEqualTo((byte) 7);
        f.release();
        assertThat(dropped).containsExactly(5000L, 0L);
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aCorruptLengthPrefixFailsTheStreamAndDiscardsTheRest() {
        EmbeddedChannel ch = new EmbeddedChannel(new PacketFrameDecoder(100, x -> { }));
        byte[] bad = new byte[12];
        java.util.Arrays.fill(bad, (byte) 0xFF);
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(bad))).isInstanceOf(CorruptedFrameException.class);
        ch.writeInbound(frame(4, 1));
        assertThat((Object) ch.readInbound()).isNull();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void pathKindsAreOrderedDirectFirst() {
        assertThat(PathKind.DIRECT.betterThan(PathKind.SIGNALING_ASSISTED)).isTrue();
        assertThat(PathKind.SIGNALING_ASSISTED.betterThan(PathKind.RELAY)).isTrue();
        assertThat(PathKind.RELAY.betterThan(PathKind.DIRECT)).isFalse();
    }
}
