package io.vine.security.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandler;
import io.vine.core.codec.CompactingCumulator;
import io.vine.security.ChannelPair;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The TLS record layer on one thread, as the overlay uses it: 64 KiB writes encrypted on one side, the
 * records of each flush delivered to the other side in one direct buffer (as a socket read gives them)
 * and decrypted; CPU time of the thread per MiB, with Netty's merge cumulator ("merge", the bytes stay
 * in direct memory) and with TlsSecurity's {@link CompactingCumulator#HEAP} ("heap"), alternating, four
 * rounds (the first ones include the JIT's warm-up). Runs only with {@code -Dvine.tls.recordMiB=N} (and leak detection off):
 *
 * <pre>mvn -pl transports -am test -Dtest=TlsCumulatorCpuTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dvine.tls.recordMiB=512 -Dvine.test.argLine=-Dio.netty.leakDetection.level=disabled</pre>
 */
@EnabledIfSystemProperty(named = "vine.tls.recordMiB", matches = "\\d+")
class TlsCumulatorCpuTest {
    @Test
    void mergeAndHeapCumulators() {
        long mib = Long.getLong("vine.tls.recordMiB");
        for (int round = 0; round < 4; round++) {
            for (String v : List.of("merge", "heap")) {
                measure(v, mib);
            }
        }
    }

    private void measure(String variant, long mib) {
        ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
        try (ChannelPair wire = new ChannelPair()) {
            var client = TlsOnChannelPair.start(wire, alloc);
            if (variant.equals("merge")) {
                wire.responder.pipeline().get(SslHandler.class).setCumulator(ByteToMessageDecoder.MERGE_CUMULATOR);
            }
            wire.pump();
            assertThat(client).isCompleted();
            ByteBuf chunk = alloc.directBuffer(64 * 1024).writeZero(64 * 1024);
            long total = mib << 20;
            long received = 0;
            var bean = ManagementFactory.getThreadMXBean();
            long cpuStart = bean.getCurrentThreadCpuTime();
            for (long sent = 0; sent < total; sent += chunk.readableBytes()) {
                wire.initiator.writeAndFlush(chunk.retainedDuplicate());
                // as from a socket: the records of one flush arrive in one direct read
                List<ByteBuf> out = ChannelPair.drain(wire.initiator);
                ByteBuf read = alloc.directBuffer(out.stream().mapToInt(ByteBuf::readableBytes).sum());
                for (ByteBuf b : out) {
                    read.writeBytes(b);
                    b.release();
                }
                wire.responder.writeInbound(read);
                Object m;
                while ((m = wire.responder.readInbound()) != null) {
                    received += ((ByteBuf) m).readableBytes();
                    ((ByteBuf) m).release();
                }
            }
            double cpu = (bean.getCurrentThreadCpuTime() - cpuStart) / 1e9;
            chunk.release();
            assertThat(received).isEqualTo(total);
            System.out.printf("tls record layer, %-5s cumulator: %d MiB encrypted + decrypted in %.2f s CPU = %.0f MiB per CPU-second%n",
                    variant, mib, cpu, mib / cpu);
        }
    }
}
