package io.vine.security.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.vine.core.SecurityContext;
import io.vine.core.SecurityProtocol;
import io.vine.core.crypto.Keys;
import io.vine.core.crypto.PrivKey;
import io.vine.security.ChannelPair;
import io.vine.security.noise.NoiseSecurity;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The record layer alone, on one thread without sockets: encrypt on one side, decrypt on the other,
 * for TLS and Noise, measured in CPU time of the thread (so a busy machine does not distort it). Runs only with {@code -Dvine.tls.recordMiB=N} (and leak detection off).
 */
@EnabledIfSystemProperty(named = "vine.tls.recordMiB", matches = "\\d+")
class RecordLayerThroughputTest {
    private final PrivKey a = Keys.generateEd25519();
    private final PrivKey b = Keys.generateEd25519();

    @Test
    void tlsAndNoise() {
        long mib = Long.getLong("vine.tls.recordMiB");
        for (int round = 0; round < 3; round++) { // the first rounds warm the JIT up
            measure(new TlsSecurity(), mib);
            measure(new NoiseSecurity(), mib);
        }
    }

    private void measure(SecurityProtocol security, long mib) {
        try (ChannelPair wire = new ChannelPair()) {
            for (EmbeddedChannel ch : List.of(wire.initiator, wire.responder)) {
                ch.config().setAllocator(PooledByteBufAllocator.DEFAULT);
            }
            var client = security.secure(wire.initiator, new SecurityContext(a, true, Optional.empty(), List.of()));
            security.secure(wire.responder, new SecurityContext(b, false, Optional.empty(), List.of()));
            wire.pump();
            assertThat(client).isCompleted();
            ByteBuf chunk = PooledByteBufAllocator.DEFAULT.directBuffer(64 * 1024).writeZero(64 * 1024);
            long total = mib << 20;
            long received = 0;
            long start = System.nanoTime();
            long cpuStart = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            for (long sent = 0; sent < total; sent += chunk.readableBytes()) {
                wire.initiator.writeAndFlush(chunk.retainedDuplicate());
                ChannelPair.transfer(wire.initiator, wire.responder);
                Object m;
                while ((m = wire.responder.readInbound()) != null) {
                    received += ((ByteBuf) m).readableBytes();
                    ((ByteBuf) m).release();
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpu = (java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuStart) / 1e9;
            chunk.release();
            assertThat(received).isEqualTo(total);
            System.out.printf("%-12s record layer, one thread: %d MiB encrypted + decrypted in %.2f s wall, %.2f s CPU"
                    + " = %.0f MiB per CPU-second%n", security.protocolId(), mib, seconds, cpu, mib / cpu);
        }
    }
}
