package io.vine.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vine.core.Connection;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.peer.PeerId;
import io.vine.protocol.dcutr.Dcutr;
import io.vine.protocol.identify.Identify;
import io.vine.protocol.identify.IdentifyInfo;
import io.vine.protocol.ping.Ping;
import io.vine.swarm.Swarm;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import io.vine.core.multiaddr.MultiaddrProtocol;
import io.vine.swarm.SwarmBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code vine node}: a plain libp2p node that listens, connects, pings and identifies. */
@Command(
        name = "node",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a plain libp2p node (TCP, noise or plaintext, yamux, identify, ping).",
            "With --listen it prints its full address (ending in /p2p/<peer id>) as the first line and",
            "serves until killed. With --connect it dials, optionally pings and identifies, prints the",
            "results and exits. With --reserve it listens through a circuit relay and prints its circuit",
            "address (.../p2p/<relay>/p2p-circuit/p2p/<self>) after the listen lines; --relay serves as one.",
            "--connect takes circuit addresses too; the JSON result's \"path\" says relay or direct.",
            "--hole-punch (on both peers) adds DCUtR and dials from the listening port: a --connect through a",
            "relay then waits for the hole punch, uses the direct connection when it worked (path direct) and",
            "says why not otherwise (holePunchError). --autonat runs AutoNAT v2 and prints each reachability",
            "verdict as a JSON line {\"event\":\"reachability\",\"address\":...,\"reachability\":...}."
        })
final class NodeCommand implements java.util.concurrent.Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RelayOptions relay = new RelayOptions();

    @Mixin
    AutoNatOptions autoNat = new AutoNatOptions();

    @Option(names = "--listen", paramLabel = "MULTIADDR", description = "Address to listen on, e.g. /ip4/127.0.0.1/tcp/0 (repeatable).")
    List<String> listen = new ArrayList<>();

    @Option(names = "--connect", paramLabel = "MULTIADDR", description = "Address to dial, ending in /p2p/<peer id>.")
    String connect;

    @Option(names = "--ping", paramLabel = "N", description = "Ping the remote N times (default: ${DEFAULT-VALUE}).")
    int ping;

    @Option(names = "--hole-punch", description = "Hole punch relayed connections (DCUtR); TCP with SO_REUSEPORT.")
    boolean holePunch;

    @Option(names = "--identify", description = "Identify the remote.")
    boolean identify;

    @Option(names = "--security", paramLabel = "NAME", split = ",",
            description = "Security protocols to offer, in order: noise, plaintext (default: noise).")
    List<String> security = new ArrayList<>(List.of("noise"));

    @Option(names = "--muxer", paramLabel = "NAME", split = ",", description = "Muxers to offer: yamux (default: yamux).")
    List<String> muxer = new ArrayList<>(List.of("yamux"));

    @Option(names = "--identity-path", paramLabel = "FILE", description = "Identity key file (created if absent); a fresh key when not given.")
    Path identityPath;

    @Option(names = "--format", paramLabel = "FORMAT", description = "Output format: text or json (default: ${DEFAULT-VALUE}).")
    OutputFormat format = OutputFormat.text;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Give up on the remote after this long (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds = 30;

    @Override
    public Integer call() throws Exception {
        if (listen.isEmpty() && connect == null && !relay.reserving()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give --listen, --reserve, --connect, or several");
        }
        if (ping < 0 || ping > 1000) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--ping: " + ping + " (expected: 0 to 1000)");
        }
        Multiaddr target = connect == null ? null : Multiaddr.parse(connect);
        PrintWriter out = spec.commandLine().getOut();
        SwarmBuilder builder = NodeStack.builder(identityPath, security, muxer, Version.AGENT, holePunch);
        relay.apply(builder);
        autoNat.apply(builder);
        if (holePunch) {
            builder.protocol(new Dcutr());
        }
        try (Swarm swarm = builder.build(); AutoCloseable reachability = autoNat.print(swarm, out)) {
            for (String address : listen) {
                Multiaddr bound = swarm.listen(Multiaddr.parse(address)).get(timeoutSeconds, TimeUnit.SECONDS);
                out.println(bound.withPeerId(swarm.localPeer()));
                out.flush();
            }
            for (Multiaddr circuit : relay.reserve(swarm, timeoutSeconds)) {
                out.println(circuit);
                out.flush();
            }
            if (target != null) {
                try {
                    report(out, dialAndQuery(swarm, target));
                } catch (Exception e) {
                    if (format == OutputFormat.json) {
                        ObjectNode error = new ObjectMapper().createObjectNode().put("error", Errors.describe(e));
                        out.println(error);
                        out.flush();
                    }
                    throw e;
                }
            }
            if (!listen.isEmpty() || relay.reserving()) {
                new CountDownLatch(1).await();
            }
        }
        return 0;
    }

    private ObjectNode dialAndQuery(Swarm swarm, Multiaddr target) throws Exception {
        HolePunchWait wait = holePunch && target.has(MultiaddrProtocol.P2P_CIRCUIT) ? new HolePunchWait(swarm) : null;
        Connection c = swarm.dial(target).get(timeoutSeconds, TimeUnit.SECONDS);
        PeerId peer = c.remotePeer();
        ObjectMapper json = new ObjectMapper();
        ObjectNode result = json.createObjectNode();
        result.put("peerId", peer.toBase58());
        result.put("path", c.remoteAddress().has(MultiaddrProtocol.P2P_CIRCUIT) ? "relay" : "direct");
        if (wait != null) {
            wait.await(peer, timeoutSeconds, result);
        }
        ArrayNode rtts = result.putArray("pingRttMs");
        if (ping > 0) {
            List<Duration> samples = Ping.ping(swarm, peer, ping).get(timeoutSeconds, TimeUnit.SECONDS);
            samples.forEach(d -> rtts.add(d.toNanos() / 1e6));
        }
        if (identify) {
            IdentifyInfo info = Identify.identify(swarm, peer).get(timeoutSeconds, TimeUnit.SECONDS);
            result.put("agentVersion", info.agentVersion());
            result.put("protocolVersion", info.protocolVersion());
            ArrayNode protocols = result.putArray("protocols");
            info.protocols().forEach(protocols::add);
            ArrayNode addrs = result.putArray("listenAddrs");
            info.listenAddrs().forEach(a -> addrs.add(a.toString()));
            result.put("observedAddr", info.observedAddr().map(Multiaddr::toString).orElse(null));
        }
        return result;
    }

    private void report(PrintWriter out, ObjectNode result) {
        if (format == OutputFormat.json) {
            out.println(result);
        } else {
            out.println("peer id:          " + result.get("peerId").asText());
            if (ping > 0) {
                out.println("ping rtt (ms):    " + result.get("pingRttMs"));
            }
            if (identify) {
                out.println("agent version:    " + result.get("agentVersion").asText());
                out.println("protocol version: " + result.get("protocolVersion").asText());
                out.println("protocols:        " + result.get("protocols"));
                out.println("listen addrs:     " + result.get("listenAddrs"));
                out.println("observed addr:    " + result.get("observedAddr").asText());
            }
        }
        out.flush();
    }
}
