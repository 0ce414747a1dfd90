package io.vine.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vine.protocol.autonat.AutoNat;
import io.vine.protocol.autonat.AutoNatConfig;
import io.vine.protocol.autonat.ReachabilityChanged;
import io.vine.swarm.Swarm;
import io.vine.swarm.SwarmBuilder;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/**
 * The AutoNAT v2 options of {@code vine node}: with {@code --autonat} the node serves dial requests
 * and tests its own addresses with connected servers, printing every verdict change as one JSON line
 * {@code {"event":"reachability","address":"/ip4/...","reachability":"PUBLIC"}}.
 */
final class AutoNatOptions {

    @Option(names = "--autonat", description = "Run AutoNAT v2 (server and client); print reachability changes as JSON lines.")
    boolean autonat;

    @Option(names = "--autonat-private", description = "Let AutoNAT test and dial private and loopback addresses (test networks).")
    boolean allowPrivate;

    @Option(names = "--autonat-confirmations", paramLabel = "N",
            description = "Servers that must agree on a verdict (default: ${DEFAULT-VALUE}).")
    int confirmations = AutoNatConfig.DEFAULT.confirmations();

    @Option(names = "--autonat-observers", paramLabel = "N",
            description = "Distinct observers before an observed address is tested (default: ${DEFAULT-VALUE}).")
    int observers = AutoNatConfig.DEFAULT.observerThreshold();

    /** Adds AutoNAT to {@code b} (after identify, which the standard stack already has) when asked. */
    void apply(SwarmBuilder b) {
        if (autonat) {
            b.protocol(new AutoNat(AutoNatConfig.builder()
                    .allowPrivateAddresses(allowPrivate)
                    .confirmations(confirmations)
                    .observerThreshold(observers)
                    .build()));
        }
    }

    /** Prints each {@link ReachabilityChanged} of {@code swarm} to {@code out}; a no-op without --autonat. */
    AutoCloseable print(Swarm swarm, PrintWriter out) {
        if (!autonat) {
            return () -> {};
        }
        ObjectMapper json = new ObjectMapper();
        return swarm.subscribe(e -> {
            if (e instanceof ReachabilityChanged r) {
                out.println(json.createObjectNode()
                        .put("event", "reachability")
                        .put("address", r.address().toString())
                        .put("reachability", r.reachability().name()));
                out.flush();
            }
        });
    }
}
