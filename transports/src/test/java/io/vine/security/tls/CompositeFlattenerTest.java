package io.vine.security.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CompositeFlattenerTest {
    @Test
    void aCompositeLeavesAsOneBufferWithTheSameBytesAndIsReleased() {
        EmbeddedChannel channel = new EmbeddedChannel(new CompositeFlattener());
        ByteBuf header = Unpooled.directBuffer().writeBytes("header|".getBytes(StandardCharsets.US_ASCII));
        ByteBuf payload = Unpooled.directBuffer().writeBytes("payload".getBytes(StandardCharsets.US_ASCII));
        CompositeByteBuf frame = Unpooled.compositeBuffer().addComponents(true, header, payload);
        frame.skipBytes(1); // from the reader index on, as any buffer

        ChannelFuture written = channel.writeAndFlush(frame);

        ByteBuf out = channel.readOutbound();
        try {
            assertThat(written.isSuccess()).isTrue();
            assertThat(out.nioBufferCount()).isEqualTo(1);
            assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("eader|payload");
            assertThat(frame.refCnt()).isZero();
            assertThat(header.refCnt()).isZero();
        } finally {
            out.release();
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void aBufferInOnePiecePassesAsItIs() {
        EmbeddedChannel channel = new EmbeddedChannel(new CompositeFlattener());
        ByteBuf one = Unpooled.directBuffer().writeBytes(new byte[] {1, 2, 3});

        channel.writeAndFlush(one);

        ByteBuf out = channel.readOutbound();
        assertThat(out).isSameAs(one);
        out.release();
        channel.finishAndReleaseAll();
    }
}
