package io.vine.cli.perf;

import io.vine.cli.NodeStack;
import io.vine.swarm.SwarmBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** The node options both perf commands share (a picocli mixin). */
final class StackOptions {
    /** The port of the original bandwidth-perf example. */
    static final int DEFAULT_PORT = 54321;

    @Option(names = "--security", paramLabel = "NAME", split = ",",
            description = "Security protocols to offer, in order: noise, tls, plaintext (default: noise).")
    List<String> security = new ArrayList<>(List.of("noise"));

    @Option(names = "--muxer", paramLabel = "NAME", split = ",", description = "Muxers to offer: yamux (default: yamux).")
    List<String> muxer = new ArrayList<>(List.of("yamux"));

    @Option(names = "--identity-path", paramLabel = "FILE",
            description = "Identity key file (created if absent); a fresh key when not given.")
    Path identityPath;

    /** The standard node (TCP, identify, ping) with these options; the agent is vine's version. */
    SwarmBuilder builder(CommandSpec spec) {
        String[] version = spec.root().version();
        String agent = version.length > 0 ? version[0] : "vine";
        return NodeStack.builder(identityPath, security, muxer, agent);
    }
}
