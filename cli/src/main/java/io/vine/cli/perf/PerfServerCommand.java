package io.vine.cli.perf;

import io.vine.core.multiaddr.Multiaddr;
import io.vine.protocol.perf.Perf;
import io.vine.protocol.perf.PerfConfig;
import io.vine.swarm.Swarm;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code vine perf server}: serves /perf/1.0.0 until killed. */
@Command(
        name = "server",
        mixinStandardHelpOptions = true,
        description = {
            "Serves the perf protocol until killed. Prints its full address (ending in /p2p/<peer id>)",
            "as the first line. Listens on --listen, else on all interfaces at $PORT, else at port 54321",
            "(the line printed then shows 127.0.0.1)."
        })
final class PerfServerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    StackOptions stack;

    @Option(names = "--listen", paramLabel = "MULTIADDR", description = "Address to listen on, e.g. /ip4/127.0.0.1/tcp/0.")
    String listen;

    @Option(names = "--max-download-bytes", paramLabel = "N",
            description = "Refuse (reset) requests for more bytes than this (default: ${DEFAULT-VALUE}).")
    long maxDownloadBytes = PerfConfig.DEFAULT_MAX_DOWNLOAD_BYTES;

    @Option(names = "--max-streams", paramLabel = "N",
            description = "Perf streams served at once, all clients together (default: ${DEFAULT-VALUE}).")
    int maxStreams = PerfConfig.DEFAULT_MAX_INBOUND_STREAMS;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS",
            description = "Reset a stream that moves no byte for this long (default: ${DEFAULT-VALUE}).")
    int idleTimeoutSeconds = (int) PerfConfig.DEFAULT_IDLE_TIMEOUT.toSeconds();

    @Override
    public Integer call() throws Exception {
        PerfConfig config;
        try {
            config = new PerfConfig(maxDownloadBytes, maxStreams, Duration.ofSeconds(idleTimeoutSeconds));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Multiaddr address = Multiaddr.parse(listen != null ? listen : "/ip4/0.0.0.0/tcp/" + port());
        PrintWriter out = spec.commandLine().getOut();
        try (Swarm swarm = stack.builder(spec).protocol(new Perf(config)).build()) {
            Multiaddr bound = swarm.listen(address).get(30, TimeUnit.SECONDS);
            out.println(dialable(address, bound).withPeerId(swarm.localPeer()));
            out.flush();
            new CountDownLatch(1).await();
        }
        return 0;
    }

    private int port() {
        String env = System.getenv("PORT");
        if (env == null || env.isBlank()) {
            return StackOptions.DEFAULT_PORT;
        }
        try {
            int port = Integer.parseInt(env.strip());
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new ParameterException(spec.commandLine(), "PORT: " + env + " (expected: 0 to 65535)");
        }
    }

    /** The unspecified address is not dialable: show the loopback one of the family asked for instead. */
    private static Multiaddr dialable(Multiaddr asked, Multiaddr bound) {
        String text = bound.toString();
        String tail = text.substring(text.indexOf('/', text.indexOf('/', 1) + 1));
        if (text.startsWith("/ip4/0.0.0.0/") || text.startsWith("/ip6/::/")) {
            return Multiaddr.parse((asked.toString().startsWith("/ip6/") ? "/ip6/::1" : "/ip4/127.0.0.1") + tail);
        }
        return bound;
    }
}
