package io.vine.protocol.perf;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOutboundBuffer;
import io.vine.core.Connection;
import io.vine.core.Protocol;
import io.vine.core.ProtocolContext;
import io.vine.core.StreamChannel;
import io.vine.swarm.Swarm;
import io.vine.testkit.TestSwarms;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Perf between two swarms over the memory transport (Noise + Yamux). */
class PerfTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final long MAX = 64L << 20;

    private final RecordingPerf serverPerf = new RecordingPerf(new PerfConfig(MAX, 8, Duration.ofMillis(600)));
    private final Swarm server = TestSwarms.memory(serverPerf);
    private final Swarm client = TestSwarms.memory();

    @AfterEach
    void close() {
        client.close();
        server.close();
    }

    @ParameterizedTest(name = "upload {0}, download {1}")
    @CsvSource({"3000000, 0", "0, 3000000", "8388608, 8388608", "0, 0", "1, 1", "65537, 131071"})
    void transfersWhatWasAsked(long up, long down) {
        TestSwarms.connect(client, server);

        PerfRun run = Perf.run(client, server.localPeer(), up, down);

        PerfResult result = run.result().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
        assertThat(result.uploadBytes()).isEqualTo(up);
        assertThat(result.downloadBytes()).isEqualTo(down);
        assertThat(run.uploadedBytes()).isEqualTo(up);
        assertThat(run.downloadedBytes()).isEqualTo(down);
        assertThat(result.totalTime()).isPositive().isGreaterThanOrEqualTo(result.uploadTime());
        assertThat(result.uploadTime().plus(result.downloadTime())).isEqualTo(result.totalTime());
        if (up + down > 0) {
            assertThat(result.totalGbitPerSecond()).isPositive();
        }
        eventually(() -> serverPerf.perf.activeInboundStreams() == 0, "server released its stream slot");
    }

    @Test
    void overLimitRequestIsRefusedAndTheServerKeepsServing() {
        TestSwarms.connect(client, server);

        PerfRun greedy = Perf.run(client, server.localPeer(), 1024, MAX + 1);

        assertThat(greedy.result()).failsWithin(WAIT).withThrowableThat().havingRootCause()
                .isInstanceOf(io.vine.core.StreamException.class);
        Throwable cause = greedy.result().exceptionNow();
        assertThat(cause).isInstanceOf(PerfException.class).hasMessageContaining("reset");
        assertThat(greedy.downloadedBytes()).isZero();

        try (Swarm second = TestSwarms.memory()) {
            TestSwarms.connect(second, server);
            PerfResult ok = Perf.run(second, server.localPeer(), 1000, MAX).result().orTimeout(30, TimeUnit.SECONDS).join();
            assertThat(ok.downloadBytes()).isEqualTo(MAX);
        }
        // and the refused client's connection still works too
        assertThat(Perf.run(client, server.localPeer(), 10, 10).result()).succeedsWithin(WAIT);
    }

    @Test
    void maxUint64RequestIsRefused() throws Exception {
        Connection c = TestSwarms.connect(client, server);
        StreamChannel raw = c.newStream(Perf.PROTOCOL_ID).get(10, TimeUnit.SECONDS);

        raw.writeAndFlush(Unpooled.buffer(8).writeLong(-1L));

        assertThat(raw.closeFuture().awaitUninterruptibly(WAIT.toMillis())).isTrue();
        eventually(() -> serverPerf.perf.activeInboundStreams() == 0, "server released its stream slot");
    }

    @Test
    void endOfStreamInsideTheHeaderIsRefused() throws Exception {
        Connection c = TestSwarms.connect(client, server);
        StreamChannel raw = c.newStream(Perf.PROTOCOL_ID).get(10, TimeUnit.SECONDS);
        raw.config().setAutoRead(true);

        raw.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {0, 0, 1}));
        raw.shutdownOutput();

        // Reset rather than a clean close: the server never ends its side normally.
        assertThat(raw.closeFuture().awaitUninterruptibly(WAIT.toMillis())).isTrue();
        StreamChannel seen = serverPerf.streams.poll(5, TimeUnit.SECONDS);
        assertThat(seen).isNotNull();
        assertThat(seen.closeFuture().awaitUninterruptibly(WAIT.toMillis())).isTrue();
        assertThat(Perf.run(client, server.localPeer(), 5, 5).result()).succeedsWithin(WAIT);
    }

    @Test
    void connectionCutMidTransferFailsTheClientAndTheServerKeepsServing() {
        Connection c = TestSwarms.connect(client, server);
        PerfRun run = Perf.run(client, server.localPeer(), 1 << 20, MAX);
        eventually(() -> run.downloadedBytes() > (1 << 20), "some download");

        c.close().join();

        assertThat(run.result()).failsWithin(WAIT);
        assertThat(run.result().exceptionNow()).isInstanceOf(PerfException.class)
                .hasMessageContaining("of " + MAX);
        eventually(() -> serverPerf.perf.activeInboundStreams() == 0, "server released its stream slot");
        TestSwarms.connect(client, server);
        assertThat(Perf.run(client, server.localPeer(), 100, 100).result()).succeedsWithin(WAIT);
    }

    @Test
    void clientThatStopsReadingHoldsBoundedServerMemoryAndIsReset() throws Exception {
        Connection c = TestSwarms.connect(client, server);
        StreamChannel raw = c.newStream(Perf.PROTOCOL_ID).get(10, TimeUnit.SECONDS);
        // auto-read stays off and nobody reads: the yamux window fills, then the server's stream
        raw.writeAndFlush(Unpooled.buffer(8).writeLong(MAX));
        raw.shutdownOutput();
        StreamChannel served = serverPerf.streams.poll(5, TimeUnit.SECONDS);
        assertThat(served).isNotNull();

        long maxPending = 0;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(400);
        while (System.nanoTime() < deadline && served.isOpen()) {
            maxPending = Math.max(maxPending, served.eventLoop().submit(() -> {
                ChannelOutboundBuffer b = served.unsafe().outboundBuffer();
                return b == null ? 0L : b.totalPendingWriteBytes();
            }).get());
            Thread.sleep(20);
        }
        assertThat(maxPending).isPositive().isLessThanOrEqualTo(Zeros.WATER_MARK.high() + Zeros.CHUNK);

        // no byte moves for the idle timeout (600 ms): the server resets the stream
        assertThat(served.closeFuture().awaitUninterruptibly(WAIT.toMillis())).isTrue();
        eventually(() -> serverPerf.perf.activeInboundStreams() == 0, "server released its stream slot");
        assertThat(Perf.run(client, server.localPeer(), 100, 100).result()).succeedsWithin(WAIT);
    }

    @Test
    void clientGivesUpOnAServerThatStopsReading() {
        // A server that accepts perf streams and never reads them.
        Protocol deaf = new Protocol() {
            @Override
            public List<String> protocolIds() {
                return List.of(Perf.PROTOCOL_ID);
            }

            @Override
            public void acceptInboundStream(StreamChannel stream, String protocolId) {
                stream.config().setAutoRead(false);
            }
        };
        try (Swarm deafServer = TestSwarms.memory(deaf);
                Swarm impatient = TestSwarms.memory(b -> b.protocol(new Perf(PerfConfig.DEFAULT.withIdleTimeout(Duration.ofMillis(300)))))) {
            TestSwarms.connect(impatient, deafServer);
            PerfRun run = Perf.run(impatient, deafServer.localPeer(), MAX, 0);

            assertThat(run.result()).failsWithin(WAIT);
            assertThat(run.result().exceptionNow()).isInstanceOf(PerfException.class).hasMessageContaining("no progress");
            assertThat(run.uploadedBytes()).isLessThan(MAX);
        }
    }

    @Test
    void tooManyConcurrentStreamsAreReset() {
        Perf perf = new Perf(new PerfConfig(MAX, 3, Duration.ofSeconds(10)));
        try (Swarm busy = TestSwarms.memory(perf)) {
            TestSwarms.connect(client, busy);
            List<PerfRun> runs = new java.util.ArrayList<>();
            for (int i = 0; i < 5; i++) {
                runs.add(Perf.run(client, busy.localPeer(), 0, 16 << 20));
            }
            CompletableFuture.allOf(runs.stream().map(r -> r.result().exceptionally(e -> null))
                    .toArray(CompletableFuture[]::new)).orTimeout(60, TimeUnit.SECONDS).join();
            List<String> failures = runs.stream().filter(r -> r.result().isCompletedExceptionally())
                    .map(r -> r.result().exceptionNow().getMessage()).toList();
            assertThat(failures).as("%s", failures).hasSizeBetween(1, 2)
                    .allSatisfy(m -> assertThat(m).contains("reset"));
            eventually(() -> perf.activeInboundStreams() == 0, "server released its stream slots");
        }
    }

    @Test
    void rejectsNegativeSizes() {
        Perf perf = new Perf();
        perf.start(client);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> perf.run(server.localPeer(), -1, 0))
                .hasMessage("uploadBytes: -1 (expected: >= 0)");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PerfConfig(1, 0, Duration.ofSeconds(1)))
                .hasMessage("maxInboundStreams: 0 (expected: > 0)");
    }

    private static void eventually(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** Perf that also records the streams it served. */
    private static final class RecordingPerf implements Protocol {
        final Perf perf;
        final BlockingQueue<StreamChannel> streams = new LinkedBlockingQueue<>();

        RecordingPerf(PerfConfig config) {
            perf = new Perf(config);
        }

        @Override
        public List<String> protocolIds() {
            return perf.protocolIds();
        }

        @Override
        public void start(ProtocolContext context) {
            perf.start(context);
        }

        @Override
        public void acceptInboundStream(StreamChannel stream, String protocolId) {
            perf.acceptInboundStream(stream, protocolId);
            streams.add(stream);
        }
    }
}
