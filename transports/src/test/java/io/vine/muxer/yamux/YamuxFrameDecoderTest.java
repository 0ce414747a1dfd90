package io.vine.muxer.yamux;

import static io.vine.muxer.yamux.YamuxFrame.FLAG_ACK;
import static io.vine.muxer.yamux.YamuxFrame.FLAG_FIN;
import static io.vine.muxer.yamux.YamuxFrame.FLAG_RST;
import static io.vine.muxer.yamux.YamuxFrame.FLAG_SYN;
import static io.vine.muxer.yamux.YamuxFrame.TYPE_DATA;
import static io.vine.muxer.yamux.YamuxFrame.TYPE_GO_AWAY;
import static io.vine.muxer.yamux.YamuxFrame.TYPE_PING;
import static io.vine.muxer.yamux.YamuxFrame.TYPE_WINDOW_UPDATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class YamuxFrameDecoderTest {

    private static final int MAX = 1024;
    private final EmbeddedChannel channel = new EmbeddedChannel(new YamuxFrameDecoder(MAX));

    @AfterEach
    void release() {
        channel.finishAndReleaseAll();
    }

    static ByteBuf header(int type, int flags, int streamId, long length) {
        return YamuxFrame.header(UnpooledByteBufAllocator.DEFAULT, type, flags, streamId, length);
    }

    static ByteBuf raw(String hex) {
        return Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex.replace(" ", "")));
    }

    private YamuxFrame decodeOne(ByteBuf in) {
        assertThat(channel.writeInbound(in)).isTrue();
        YamuxFrame frame = channel.readInbound();
        assertThat((Object) channel.readInbound()).isNull();
        return frame;
    }

    @Test
    void headerLayoutIsBigEndianTwelveBytes() {
        ByteBuf header = header(TYPE_WINDOW_UPDATE, FLAG_SYN | FLAG_FIN, 0x01020304, 0xFFFFFFFEL);
        assertThat(ByteBufUtil.hexDump(header)).isEqualTo("00010005" + "01020304" + "fffffffe");
        header.release();
    }

    @Test
    void dataFrameWithPayload() {
        ByteBuf payload = Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII);
        YamuxFrame frame = decodeOne(Unpooled.wrappedBuffer(header(TYPE_DATA, FLAG_SYN, 3, 5), payload));
        assertThat(frame.type()).isEqualTo(TYPE_DATA);
        assertThat(frame.flags()).isEqualTo(FLAG_SYN);
        assertThat(frame.streamId()).isEqualTo(3);
        assertThat(frame.length()).isEqualTo(5);
        assertThat(frame.content().toString(StandardCharsets.US_ASCII)).isEqualTo("hello");
        frame.release();
        assertThat(payload.refCnt()).isZero();
    }

    @Test
    void dataFrameArrivingByteByByte() {
        ByteBuf whole = Unpooled.wrappedBuffer(header(TYPE_DATA, 0, 2, 3), raw("aabbcc"));
        for (int i = 0; i < whole.capacity() - 1; i++) {
            assertThat(channel.writeInbound(whole.retainedSlice(i, 1))).isFalse();
        }
        assertThat(channel.writeInbound(whole.retainedSlice(whole.capacity() - 1, 1))).isTrue();
        whole.release();
        YamuxFrame frame = channel.readInbound();
        assertThat(ByteBufUtil.hexDump(frame.content())).isEqualTo("aabbcc");
        frame.release();
    }

    @Test
    void zeroLengthDataWithFin() {
        YamuxFrame frame = decodeOne(header(TYPE_DATA, FLAG_FIN, 7, 0));
        assertThat(frame.hasFlag(FLAG_FIN)).isTrue();
        assertThat(frame.content().readableBytes()).isZero();
        frame.release();
    }

    @Test
    void dataOfExactlyTheLargestWindow() {
        YamuxFrame frame = decodeOne(Unpooled.wrappedBuffer(header(TYPE_DATA, 0, 1, MAX), Unpooled.buffer(MAX).writeZero(MAX)));
        assertThat(frame.content().readableBytes()).isEqualTo(MAX);
        frame.release();
    }

    @Test
    void twoFramesInOneBuffer() {
        ByteBuf in = Unpooled.wrappedBuffer(header(TYPE_WINDOW_UPDATE, FLAG_ACK, 4, 1000), header(TYPE_PING, FLAG_SYN, 0, 9));
        assertThat(channel.writeInbound(in)).isTrue();
        YamuxFrame update = channel.readInbound();
        YamuxFrame ping = channel.readInbound();
        assertThat(update.type()).isEqualTo(TYPE_WINDOW_UPDATE);
        assertThat(update.length()).isEqualTo(1000);
        assertThat(update.hasFlag(FLAG_ACK)).isTrue();
        assertThat(ping.type()).isEqualTo(TYPE_PING);
        assertThat(ping.length()).isEqualTo(9);
    }

    @Test
    void windowUpdateWithFullUnsignedDeltaAndHighStreamId() {
        YamuxFrame frame = decodeOne(header(TYPE_WINDOW_UPDATE, FLAG_RST, 0xFFFFFFFF, 0xFFFFFFFFL));
        assertThat(Integer.toUnsignedLong(frame.streamId())).isEqualTo(0xFFFFFFFFL);
        assertThat(frame.length()).isEqualTo(0xFFFFFFFFL);
    }

    @Test
    void pingRequestAndResponse() {
        assertThat(decodeOne(header(TYPE_PING, FLAG_SYN, 0, 0xCAFEL)).hasFlag(FLAG_SYN)).isTrue();
        assertThat(decodeOne(header(TYPE_PING, FLAG_ACK, 0, 0xCAFEL)).hasFlag(FLAG_ACK)).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"0", "1", "2", "77"})
    void goAwayCodes(long code) {
        YamuxFrame frame = decodeOne(header(TYPE_GO_AWAY, 0, 0, code));
        assertThat(frame.type()).isEqualTo(TYPE_GO_AWAY);
        assertThat(frame.length()).isEqualTo(code);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        "version 1,                   01000000 00000001 00000000, version: 1",
        "version 255,                 ff000000 00000001 00000000, version: 255",
        "type 4,                      00040000 00000001 00000000, type: 4",
        "unknown flag 0x10,           00010010 00000001 00000000, flags: 0x10",
        "data on stream 0,            00000000 00000000 00000000, DATA stream id: 0",
        "window update on stream 0,   00010000 00000000 00000000, WINDOW_UPDATE stream id: 0",
        "SYN and ACK together,        00010003 00000001 00000000, SYN and ACK",
        "data longer than the window, 00000000 00000001 00000401, DATA length: 1025",
        "data of 4 GiB - 1,           00000000 00000001 ffffffff, DATA length: 4294967295",
        "ping on a stream,            00020001 00000001 00000000, PING stream id: 1",
        "ping without flags,          00020000 00000000 00000000, PING flags: 0x0",
        "ping with SYN and ACK,       00020003 00000000 00000000, PING flags: 0x3",
        "ping with FIN,               00020004 00000000 00000000, PING flags: 0x4",
        "go away on a stream,         00030000 00000002 00000000, GO_AWAY stream id: 2",
        "go away with flags,          00030008 00000000 00000000, GO_AWAY flags: 0x8",
    })
    void malformedHeaders(String name, String hex, String message) {
        ByteBuf in = Unpooled.wrappedBuffer(raw(hex), Unpooled.buffer(64).writeZero(64));
        assertThatThrownBy(() -> channel.writeInbound(in))
                .isInstanceOf(YamuxProtocolException.class)
                .isInstanceOf(DecoderException.class)
                .hasMessageContaining(message);
        assertThat(in.refCnt()).isZero();
        assertThat((Object) channel.readInbound()).isNull();

        // After the error nothing more is decoded, even a valid frame.
        assertThat(channel.writeInbound(header(TYPE_PING, FLAG_SYN, 0, 1))).isFalse();
    }

    @Test
    void truncatedFramesProduceNothing() {
        assertThat(channel.writeInbound(raw("0000000000000001000000"))).isFalse();
        assertThat(channel.writeInbound(raw("10 aabb"))).isFalse();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void refusesANonPositiveBound() {
        assertThatThrownBy(() -> new YamuxFrameDecoder(0)).hasMessage("maxDataLength: 0 (expected: > 0)");
    }
}
