package io.vine.protocol.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one-message reader: split, truncated, oversized and trailing input, with no buffer left behind. */
class SingleMessageReaderTest {

    static final class Recorder extends SingleMessageReader {
        final List<byte[]> messages = new ArrayList<>();
        final List<RelayException> failures = new ArrayList<>();
        ChannelHandlerContext ctx;

        Recorder() {
            super(Duration.ofSeconds(5));
        }

        @Override
        protected void onMessage(ChannelHandlerContext ctx, byte[] message) {
            this.ctx = ctx;
            messages.add(message);
        }

        @Override
        protected void onFailure(ChannelHandlerContext ctx, RelayException cause) {
            failures.add(cause);
        }
    }

    @Test
    void aMessageSplitByteByByteArrivesOnceAndTheRestIsHandedOver() {
        Recorder r = new Recorder();
        EmbeddedChannel ch = new EmbeddedChannel(r);
        byte[] input = {3, 'a', 'b', 'c', 'x', 'y'};
        for (byte b : input) {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        assertThat(r.messages).hasSize(1);
        assertThat(r.messages.get(0)).containsExactly('a', 'b', 'c');
        assertThat(ch.config().isAutoRead()).isFalse();
        ByteBuf rest = r.takeRest(r.ctx);
        try {
            assertThat(rest.readableBytes()).isEqualTo(2);
            assertThat(rest.readByte()).isEqualTo((byte) 'x');
        } finally {
            rest.release();
        }
        assertThat(ch.pipeline().get(Recorder.class)).isNull();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void anOversizedLengthIsMalformedBeforeAnythingIsBuffered() {
        Recorder r = new Recorder();
        EmbeddedChannel ch = new EmbeddedChannel(r);
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0x81, 0x20, 0, 0}));  // 4097
        assertThat(r.failures).singleElement()
                .satisfies(e -> assertThat(e.status()).contains(RelayStatus.MALFORMED_MESSAGE));
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[100]));
        assertThat(r.messages).isEmpty();
        assertThat(r.failures).hasSize(1);
        ch.finishAndReleaseAll();
    }

    @Test
    void aMessageOfExactly4KiBIsRead() {
        Recorder r = new Recorder();
        EmbeddedChannel ch = new EmbeddedChannel(r);
        ByteBuf in = Unpooled.buffer().writeBytes(new byte[] {(byte) 0x80, 0x20}).writeZero(4096);
        ch.writeInbound(in);
        assertThat(r.messages).singleElement().satisfies(m -> assertThat(m).hasSize(4096));
        ch.finishAndReleaseAll();
    }

    @Test
    void aTruncatedMessageFailsWhenTheStreamCloses() {
        Recorder r = new Recorder();
        EmbeddedChannel ch = new EmbeddedChannel(r);
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {10, 1, 2}));
        ch.close();
        assertThat(r.messages).isEmpty();
        assertThat(r.failures).singleElement().satisfies(e -> assertThat(e.status()).isEmpty());
        ch.finishAndReleaseAll();
    }

    @Test
    void tooManyBytesAfterTheMessageFail() {
        Recorder r = new Recorder();
        EmbeddedChannel ch = new EmbeddedChannel(r);
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {1, 7}));
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[SingleMessageReader.MAX_HELD_BYTES + 10_000]));
        assertThat(r.messages).hasSize(1);
        assertThat(r.failures).singleElement().satisfies(e -> assertThat(e.getMessage()).contains("before the circuit opened"));
        ch.finishAndReleaseAll();
    }

    @Test
    void aBadVarintIsMalformed() {
        Recorder r = new Recorder();
        EmbeddedChannel ch = new EmbeddedChannel(r);
        byte[] bad = new byte[11];
        java.util.Arrays.fill(bad, (byte) 0xff);
        ch.writeInbound(Unpooled.wrappedBuffer(bad));
        assertThat(r.failures).singleElement()
                .satisfies(e -> assertThat(e.status()).contains(RelayStatus.MALFORMED_MESSAGE));
        ch.finishAndReleaseAll();
    }
}
