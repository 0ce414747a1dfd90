package io.vine.security.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.vine.security.ChannelPair;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** How bulk data leaves TLS: full records, several sealed into each outbound buffer. */
class TlsWrapTest {
    /**
     * A full TLS 1.3 record from the JDK's engine: 5 bytes of header, 16383 bytes of data and the inner
     * content type (together the 16 KiB maximum), a 16-byte tag.
     */
    private static final int FULL_RECORD = 5 + 16 * 1024 + 16;

    @Test
    void aLargeWriteLeavesAsFullRecordsThreeToABufferAndArrivesWhole() {
        try (ChannelPair wire = new ChannelPair()) {
            TlsOnChannelPair.connect(wire, PooledByteBufAllocator.DEFAULT);

            byte[] payload = new byte[4 * TlsSecurity.WRAP_DATA_SIZE];
            ThreadLocalRandom.current().nextBytes(payload);
            wire.initiator.writeAndFlush(Unpooled.wrappedBuffer(payload));
            List<ByteBuf> out = ChannelPair.drain(wire.initiator);
            // three full records per buffer (one per buffer with 16 KiB wraps), the rest in one or two
            int perBuffer = 3 * (FULL_RECORD - 5 - 16 - 1);
            assertThat(out.stream().filter(b -> b.readableBytes() == 3 * FULL_RECORD)).hasSize(payload.length / perBuffer);
            assertThat(out).hasSizeLessThanOrEqualTo(payload.length / perBuffer + 2);

            out.forEach(wire.responder::writeInbound); // the responder releases them
            assertThat(ChannelPair.readInboundBytes(wire.responder)).isEqualTo(payload);
        }
    }
}
