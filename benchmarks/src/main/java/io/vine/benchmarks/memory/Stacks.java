package io.vine.benchmarks.memory;

import io.vine.core.Protocol;
import io.vine.core.crypto.Keys;
import io.vine.muxer.yamux.Yamux;
import io.vine.protocol.identify.Identify;
import io.vine.protocol.ping.Ping;
import io.vine.security.noise.NoiseSecurity;
import io.vine.swarm.Swarm;
import io.vine.swarm.SwarmLimits;
import io.vine.transport.tcp.TcpTransport;

/** The node both roles run: the cli's standard stack (TCP, Noise, Yamux, identify, ping) plus their own protocols. */
final class Stacks {
    static final String AGENT = "vine-memory-scale";

    private Stacks() {}

    /**
     * A swarm with a fresh Ed25519 identity that admits {@code maxConnections} connections in total and
     * to one peer (all of the benchmark's connections go to the same peer).
     */
    static Swarm build(int maxConnections, int ioThreads, Protocol... protocols) {
        SwarmLimits limits = SwarmLimits.DEFAULT
                .withMaxConnections(maxConnections)
                .withMaxConnectionsPerPeer(maxConnections);
        return Swarm.builder()
                .identity(Keys.generateEd25519())
                .ioGroup(TcpTransport.defaultGroup(ioThreads), true)
                .transport(new TcpTransport())
                .security(new NoiseSecurity())
                .muxer(new Yamux())
                .protocol(new Identify(AGENT), new Ping())
                .protocol(protocols)
                .limits(limits)
                .build();
    }

    /** Open connections and the streams over all of them. */
    static long[] count(Swarm swarm) {
        var connections = swarm.connections();
        long streams = connections.stream().mapToLong(c -> c.streamCount()).sum();
        return new long[] {connections.size(), streams};
    }
}
