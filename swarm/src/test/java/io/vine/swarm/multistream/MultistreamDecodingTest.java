package io.vine.swarm.multistream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Malformed, oversized and unexpected input: a typed failure, the input released, nothing passed on. */
class MultistreamDecodingTest {
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final Recorder recorder = new Recorder();

    @AfterEach
    void tearDown() {
        assertThat(recorder.selected).isEmpty();
        assertThat(channel.isOpen()).isTrue();
        channel.finishAndReleaseAll();
        recorder.release();
    }

    private Throwable listenerGets(ByteBuf... inputs) {
        MultistreamSelect.respond(channel, p -> true, recorder);
        for (ByteBuf in : inputs) {
            channel.writeInbound(in);
        }
        for (ByteBuf in : inputs) {
            assertThat(in.refCnt()).isZero();
        }
        return recorder.failure();
    }

    private static ByteBuf hex(String hex) {
        return Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex));
    }

    @Test
    void oversizedMessageFailsOnItsPrefix() {
        // Claims 1025 bytes; only the prefix and a few bytes arrive.
        Throwable e = listenerGets(hex("8108"), hex("2f2f2f"));
        assertThat(e).isInstanceOf(TooLongFrameException.class)
                .hasMessage("multistream message length: 1025 (expected: <= 1024)");
    }

    @Test
    void malformedVarint() {
        assertThat(listenerGets(hex("ffffffffffffffffff01"))).isInstanceOf(CorruptedFrameException.class)
                .hasMessageContaining("longer than 9 bytes");
    }

    @Test
    void nonMinimalVarint() {
        assertThat(listenerGets(hex("8300"))).isInstanceOf(CorruptedFrameException.class)
                .hasMessageContaining("not minimally encoded");
    }

    @Test
    void missingNewline() {
        assertThat(listenerGets(hex("03616263"))).isInstanceOf(CorruptedFrameException.class)
                .hasMessage("multistream message: does not end in '\\n'");
    }

    @Test
    void emptyMessage() {
        assertThat(listenerGets(hex("00"))).isInstanceOf(CorruptedFrameException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void invalidUtf8() {
        assertThat(listenerGets(Wire.messages(MultistreamSelect.PROTOCOL_ID), hex("03ff fe0a".replace(" ", ""))))
                .isInstanceOf(CorruptedFrameException.class).hasMessageContaining("UTF-8");
    }

    @Test
    void wrongHeaderAtListener() {
        assertThat(listenerGets(Wire.messages("/multistream/2.0.0", "/a")))
                .isInstanceOf(CorruptedFrameException.class)
                .hasMessage("multistream header: '/multistream/2.0.0' (expected: '/multistream/1.0.0')");
    }

    @Test
    void wrongHeaderAtDialer() {
        MultistreamSelect.initiate(channel, List.of("/a"), recorder);
        ByteBuf in = Wire.messages("/multistream/0.9", "/a");
        channel.writeInbound(in);
        assertThat(in.refCnt()).isZero();
        assertThat(recorder.failure()).isInstanceOf(CorruptedFrameException.class)
                .hasMessageContaining("multistream header");
    }

    @Test
    void unexpectedAnswerAtDialer() {
        MultistreamSelect.initiate(channel, List.of("/a"), recorder);
        channel.writeInbound(Wire.messages(MultistreamSelect.PROTOCOL_ID, "/b"));
        assertThat(recorder.failure()).isInstanceOf(CorruptedFrameException.class)
                .hasMessage("multistream answer to '/a': '/b' (expected: the same protocol or 'na')");
    }

    @Test
    void inputAfterFailureIsDropped() {
        Throwable e = listenerGets(hex("03616263"), Wire.messages(MultistreamSelect.PROTOCOL_ID, "/a"));
        assertThat(e).isInstanceOf(CorruptedFrameException.class);
        assertThat(channel.inboundMessages()).isEmpty();
    }

    @Test
    void truncatedMessageWaits() {
        MultistreamSelect.respond(channel, p -> true, recorder);
        ByteBuf in = Wire.messages(MultistreamSelect.PROTOCOL_ID);
        channel.writeInbound(in.readRetainedSlice(5));
        channel.writeInbound(in);
        assertThat(recorder.failures).isEmpty();
        channel.writeInbound(hex("0361"));
        assertThat(recorder.failures).isEmpty();
    }
}
