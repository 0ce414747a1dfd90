package io.vine.security.tls;

import static io.vine.testing.TestBytes.random;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.handler.ssl.SslHandler;
import io.vine.security.ChannelPair;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** TLS data arriving as from a socket: in direct buffers, whole or cut anywhere. */
class TlsSocketReadsTest {
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;

    /** Everything the initiator sent since the last call, in one direct buffer. */
    private ByteBuf sent(ChannelPair wire) {
        ByteBuf read = alloc.directBuffer();
        for (ByteBuf record : ChannelPair.drain(wire.initiator)) {
            read.writeBytes(record);
            record.release();
        }
        return read;
    }

    @Test
    void dataCrossesWhenEveryRecordArrivesInDirectMemoryAsFromASocket() {
        try (ChannelPair wire = new ChannelPair()) {
            TlsOnChannelPair.connect(wire, alloc);
            assertThat(wire.responder.pipeline().get(SslHandler.class)).isNotNull();

            byte[] payload = random(200_000);
            wire.initiator.writeAndFlush(alloc.directBuffer().writeBytes(payload));
            ByteBuf read = sent(wire); // as from a socket: everything sent arrives in one direct read
            assertThat(read.readableBytes()).isGreaterThan(payload.length);
            wire.responder.writeInbound(read);
            assertThat(ChannelPair.readInboundBytes(wire.responder)).isEqualTo(payload);
        }
    }

    /** Reads of every size from 1 byte to 70,000, cut anywhere in the records: the pending parts carry over. */
    @Test
    void dataCrossesWhenReadsCutRecordsAnywhere() {
        try (ChannelPair wire = new ChannelPair()) {
            TlsOnChannelPair.connect(wire, alloc);

            byte[] payload = random(1_000_000);
            wire.initiator.writeAndFlush(alloc.directBuffer().writeBytes(payload));
            ByteBuf all = sent(wire);
            ThreadLocalRandom random = ThreadLocalRandom.current();
            ByteBuf received = alloc.heapBuffer(payload.length);
            while (all.isReadable()) {
                int n = Math.min(all.readableBytes(), random.nextBoolean() ? random.nextInt(1, 100) : random.nextInt(1, 70_000));
                wire.responder.writeInbound(alloc.directBuffer(n).writeBytes(all, n));
                Object m;
                while ((m = wire.responder.readInbound()) != null) {
                    received.writeBytes((ByteBuf) m);
                    ((ByteBuf) m).release();
                }
            }
            all.release();
            byte[] got = new byte[received.readableBytes()];
            received.readBytes(got).release();
            assertThat(got).isEqualTo(payload);
        }
    }
}
