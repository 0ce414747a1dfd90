package io.vine.benchmarks;

import io.netty.channel.EventLoopGroup;
import io.vine.core.SecurityProtocol;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.muxer.yamux.Yamux;
import io.vine.protocol.perf.Perf;
import io.vine.security.noise.NoiseSecurity;
import io.vine.security.plaintext.PlaintextSecurity;
import io.vine.security.tls.TlsSecurity;
import io.vine.swarm.Swarm;
import io.vine.transport.memory.MemoryTransport;
import io.vine.transport.tcp.TcpTransport;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code /perf/1.0.0} between two swarms over the memory transport: the whole stack (security,
 * yamux, the perf protocol) without sockets. One operation downloads {@value #BYTES} bytes; the score
 * in ops/s times 0.537 is Gbit/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PerfMemoryBenchmark {
    static final long BYTES = 64L << 20;

    @Param({"noise", "tls", "plaintext"})
    public String security;

    private EventLoopGroup io;
    private Swarm server;
    private Swarm client;

    @Setup(Level.Trial)
    public void start() {
        io = TcpTransport.defaultGroup(2);
        server = swarm(new Perf());
        client = swarm(new Perf());
        Multiaddr address = server.listen(Multiaddr.parse("/memory/0")).join();
        client.dial(address.withPeerId(server.localPeer())).join();
    }

    private Swarm swarm(Perf perf) {
        SecurityProtocol s = switch (security) {
            case "noise" -> new NoiseSecurity();
            case "tls" -> new TlsSecurity();
            default -> new PlaintextSecurity();
        };
        return Swarm.builder().ioGroup(io).transport(new MemoryTransport()).security(s).muxer(new Yamux()).protocol(perf).build();
    }

    @Benchmark
    public long download() {
        return Perf.run(client, server.localPeer(), 0, BYTES).result().join().downloadBytes();
    }

    @TearDown(Level.Trial)
    public void stop() {
        client.close();
        server.close();
        io.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
