package io.vine.cli.perf;

import io.vine.core.Connection;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.protocol.perf.Perf;
import io.vine.protocol.perf.PerfResult;
import io.vine.protocol.perf.PerfRun;
import io.vine.swarm.Swarm;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code vine perf client}: one perf measurement against a server. */
@Command(
        name = "client",
        mixinStandardHelpOptions = true,
        description = {
            "Runs one perf measurement: uploads, then downloads, and prints progress every second and",
            "the result. Without --server it dials /ip4/$RESPONDER_IP/tcp/$RESPONDER_PORT/p2p/$RESPONDER_KEY",
            "(defaults 127.0.0.1 and 54321); without --upload-bytes / --download-bytes it moves $BYTE_SIZE",
            "bytes each way (default 104857600)."
        })
final class PerfClientCommand implements Callable<Integer> {
    static final long DEFAULT_BYTES = 100L << 20;

    @Spec
    CommandSpec spec;

    @Mixin
    StackOptions stack;

    @Option(names = "--server", paramLabel = "MULTIADDR", description = "The server's address, ending in /p2p/<peer id>.")
    String server;

    @Option(names = "--upload-bytes", paramLabel = "N", description = "Bytes to send to the server.")
    Long uploadBytes;

    @Option(names = "--download-bytes", paramLabel = "N", description = "Bytes to ask the server for.")
    Long downloadBytes;

    @Option(names = "--format", paramLabel = "FORMAT", description = "Output format: text or json (default: ${DEFAULT-VALUE}).")
    PerfOutput.Format format = PerfOutput.Format.text;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Give up dialing the server after this long (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds = 30;

    @Option(names = "--jit", paramLabel = "MODE", description = {
        "JIT policy of this process: auto (default) is quick for runs of up to 8 GiB in all, else full;",
        "quick compiles only the JDK's crypto with the optimizing compiler (ready sooner, for runs of",
        "seconds); full is the JVM's default (fastest once warm)."})
    ShortRunJit.Mode jit = ShortRunJit.Mode.auto;

    /** The environment; a field so that tests can replace it. */
    Map<String, String> env = System.getenv();

    @Override
    public Integer call() throws Exception {
        Multiaddr target = target();
        long byteSize = byteSize();
        long up = nonNegative("--upload-bytes", uploadBytes != null ? uploadBytes : byteSize);
        long down = nonNegative("--download-bytes", downloadBytes != null ? downloadBytes : byteSize);
        if (jit.quickFor(up, down)) { // before the stack's code gets hot: see ShortRunJit
            String why = ShortRunJit.apply();
            if (why != null) {
                spec.commandLine().getErr().println("vine perf: running with the JVM's default JIT policy: " + why);
            }
        }
        PerfOutput output = new PerfOutput(spec.commandLine().getOut(), format);
        try (Swarm swarm = stack.builder(spec).build()) {
            Connection connection = swarm.dial(target).get(timeoutSeconds, TimeUnit.SECONDS);
            output.connected(connection, up, down);
            PerfRun run = Perf.run(swarm, connection.remotePeer(), up, down);
            output.start(run);
            PerfResult result = null;
            while (result == null) {
                try {
                    result = run.result().get(output.nanosToNextReport(), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    output.progress(run);
                }
            }
            output.result(result);
        } catch (ExecutionException | CompletionException | TimeoutException e) {
            Throwable cause = e.getCause() != null && !(e instanceof TimeoutException) ? e.getCause() : e;
            output.error(cause instanceof TimeoutException ? "timed out dialing " + target : message(cause));
            throw e;
        }
        return 0;
    }

    private Multiaddr target() {
        if (server != null) {
            return Multiaddr.parse(server);
        }
        String key = env.get("RESPONDER_KEY");
        if (key == null || key.isBlank()) {
            throw new ParameterException(spec.commandLine(), "give --server <multiaddr> or set RESPONDER_KEY (the server's peer id)");
        }
        String ip = env.getOrDefault("RESPONDER_IP", "127.0.0.1").strip();
        String port = env.getOrDefault("RESPONDER_PORT", String.valueOf(StackOptions.DEFAULT_PORT)).strip();
        String family = ip.contains(":") ? "ip6" : "ip4";
        return Multiaddr.parse("/" + family + "/" + ip + "/tcp/" + port + "/p2p/" + key.strip());
    }

    private long byteSize() {
        String raw = env.get("BYTE_SIZE");
        if (raw == null || raw.isBlank()) {
            return DEFAULT_BYTES;
        }
        try {
            return nonNegative("BYTE_SIZE", Long.parseLong(raw.strip()));
        } catch (NumberFormatException e) {
            throw new ParameterException(spec.commandLine(), "BYTE_SIZE: " + raw + " (expected: a number of bytes)");
        }
    }

    private long nonNegative(String name, long value) {
        if (value < 0) {
            throw new ParameterException(spec.commandLine(), name + ": " + value + " (expected: >= 0)");
        }
        return value;
    }

    private static String message(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }
}
