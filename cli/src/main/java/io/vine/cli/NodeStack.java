package io.vine.cli;

import io.vine.core.SecurityProtocol;
import io.vine.core.StreamMuxer;
import io.vine.core.crypto.Keys;
import io.vine.core.crypto.PrivKey;
import io.vine.core.peer.IdentityFile;
import io.vine.muxer.yamux.Yamux;
import io.vine.protocol.identify.Identify;
import io.vine.protocol.ping.Ping;
import io.vine.security.noise.NoiseSecurity;
import io.vine.security.plaintext.PlaintextSecurity;
import io.vine.swarm.Swarm;
import io.vine.swarm.SwarmBuilder;
import io.vine.transport.tcp.TcpConfig;
import io.vine.transport.tcp.TcpTransport;
import java.nio.file.Path;
import java.util.List;

/** Builds the standard node the commands run: TCP, the chosen security and muxers, identify, ping. */
public final class NodeStack {
    private NodeStack() {}

    static Swarm build(Path identityPath, List<String> security, List<String> muxers, String agentVersion) {
        return builder(identityPath, security, muxers, agentVersion).build();
    }

    public static SwarmBuilder builder(Path identityPath, List<String> security, List<String> muxers, String agentVersion) {
        return builder(identityPath, security, muxers, agentVersion, false);
    }

    /**
     * The standard node; with {@code reusePort} its TCP listens and dials with {@code SO_REUSEPORT},
     * dials leaving from the listening port (what TCP hole punching needs).
     */
    public static SwarmBuilder builder(Path identityPath, List<String> security, List<String> muxers, String agentVersion,
            boolean reusePort) {
        PrivKey key = identityPath == null ? Keys.generateEd25519() : IdentityFile.loadOrCreate(identityPath);
        return Swarm.builder()
                .identity(key)
                .transport(new TcpTransport(TcpConfig.DEFAULT.withReusePort(reusePort)))
                .security(security.stream().map(NodeStack::security).toArray(SecurityProtocol[]::new))
                .muxer(muxers.stream().map(NodeStack::muxer).toArray(StreamMuxer[]::new))
                .protocol(new Identify(agentVersion), new Ping());
    }

    static SecurityProtocol security(String name) {
        return switch (name) {
            case "noise" -> new NoiseSecurity();
            case "plaintext" -> new PlaintextSecurity();
            case "tls" -> new io.vine.security.tls.TlsSecurity();
            default -> throw new IllegalArgumentException("--security: " + name + " (expected: noise, tls or plaintext)");
        };
    }

    static StreamMuxer muxer(String name) {
        return switch (name) {
            case "yamux" -> new Yamux();
            default -> throw new IllegalArgumentException("--muxer: " + name + " (expected: yamux)");
        };
    }
}
