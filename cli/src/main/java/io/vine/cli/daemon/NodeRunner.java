package io.vine.cli.daemon;

import static java.util.Objects.requireNonNull;

import io.vine.cli.config.ConfigException;
import io.vine.cli.config.ConfigLoader;
import io.vine.cli.config.NodeConfig;
import io.vine.cli.config.ResolvedConfig;
import io.vine.cli.control.ControlServer;
import io.vine.cli.control.LogBuffer;
import io.vine.cli.control.SwarmCounters;
import io.vine.cli.control.Tokens;
import io.vine.tun.TunConfig;
import io.vine.tun.TunDevice;
import io.vine.tun.overlay.VineEvent;
import io.vine.tun.overlay.VineNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A node as {@code vine up} runs it: the {@link VineNode} of a config file, its log, its swarm
 * counters and its control API. {@link #start} returns once the node listens and the control API
 * serves; bootstrap runs in the background and logs each step.
 */
public final class NodeRunner implements AutoCloseable {
    private final ResolvedConfig resolved;
    private final VineNode node;
    private final LogBuffer logs;
    private final SwarmCounters counters;
    private final ControlServer control;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private NodeRunner(ResolvedConfig resolved, VineNode node, LogBuffer logs, SwarmCounters counters, ControlServer control) {
        this.resolved = resolved;
        this.node = node;
        this.logs = logs;
        this.counters = counters;
        this.control = control;
    }

    /**
     * Starts the node of {@code resolved}: device from {@code device} (LinuxTun::open in production),
     * every log line also to {@code logSink}.
     */
    public static NodeRunner start(ResolvedConfig resolved, Function<TunConfig, TunDevice> device, Consumer<String> logSink)
            throws IOException {
        return start(resolved, device, logSink, b -> { });
    }

    /** As {@link #start(ResolvedConfig, Function, Consumer)}, letting tests and embedders adjust the node (a gater, a swarm stack). */
    public static NodeRunner start(ResolvedConfig resolved, Function<TunConfig, TunDevice> device, Consumer<String> logSink,
            Consumer<VineNode.Builder> customize) throws IOException {
        requireNonNull(resolved, "resolved");
        requireNonNull(customize, "customize");
        requireNonNull(device, "device");
        LogBuffer logs = new LogBuffer(LogBuffer.DEFAULT_CAPACITY, requireNonNull(logSink, "logSink"));
        NodeConfig c = resolved.config();
        String token = Tokens.readOrCreate(c.control().tokenFile());
        VineNode.Builder builder = VineNode.builder(resolved.vine()).device(device).events(e -> logs.log(describe(e)));
        customize.accept(builder);
        VineNode node = builder.build();
        SwarmCounters counters = null;
        ControlServer control = null;
        try {
            node.init();
            counters = new SwarmCounters(node.swarm());
            node.start();
            NodeRunner[] self = new NodeRunner[1];
            control = ControlServer.start(c.control().listen(), token, c.node().name(), node, counters, logs,
                    () -> self[0].reload());
            self[0] = new NodeRunner(resolved, node, logs, counters, control);
            logs.log("control API on " + control.address().getAddress().getHostAddress() + ":" + control.address().getPort() + " (token in " + c.control().tokenFile() + ")");
            node.bootstrap().whenComplete((steps, error) -> {
                if (error != null) {
                    logs.log("bootstrap failed: " + error.getMessage());
                } else {
                    logs.log("bootstrap done: " + steps.stream().filter(VineEvent.Bootstrap::success).count() + " of "
                            + steps.size() + " steps succeeded");
                }
            });
            return self[0];
        } catch (RuntimeException | IOException e) {
            if (control != null) {
                control.close();
            }
            node.stop();
            throw e;
        }
    }

    /** What the node's events look like in the log. */
    static String describe(VineEvent e) {
        return switch (e) {
            case VineEvent.Lifecycle l -> "node " + l.state() + ": " + l.message();
            case VineEvent.Bootstrap b -> "bootstrap " + b.target() + ": " + (b.success() ? "ok" : "failed") + " " + b.detail();
            case VineEvent.PathFailed f -> "path to " + f.peer() + " failed: " + f.detail();
            case VineEvent.PeerAdmitted a -> "peer " + a.peer() + " admitted over " + a.kind();
            case VineEvent.PeerRefused r -> "peer " + r.peer() + " refused: " + r.reason();
            case VineEvent.RouteChanged r -> "route " + r.route() + " from " + r.from() + ": " + r.result();
            case VineEvent.PathChanged p -> "session " + p.peer() + " path " + p.from().map(Objects::toString).orElse("none")
                    + " -> " + p.to().map(Objects::toString).orElse("none");
        };
    }

    /**
     * Re-reads the config file (SIGHUP, admin hook). VineNode cannot change its allowlist, bootstrap
     * peers or policy in place yet, so a changed file is validated and reported, not applied; sessions
     * are never dropped. Returns what happened (also logged).
     */
    public String reload() {
        String result;
        try {
            ResolvedConfig fresh = ResolvedConfig.resolve(ConfigLoader.load(resolved.config().file()));
            boolean same = fresh.vine().allowlist().equals(resolved.vine().allowlist())
                    && fresh.vine().bootstrap().equals(resolved.vine().bootstrap())
                    && fresh.config().policy().equals(resolved.config().policy())
                    && fresh.config().relay().equals(resolved.config().relay());
            result = same ? "reload: config unchanged"
                    : "reload: config valid but changed; VineNode cannot reload the allowlist and peers in place yet:"
                    + " nothing applied, restart (vine down; vine up) to apply; healthy sessions kept";
        } catch (ConfigException e) {
            result = "reload: refused, nothing applied: " + e.getMessage();
        } catch (RuntimeException e) {
            result = "reload: failed, nothing applied: " + e;
        }
        logs.log(result);
        return result;
    }

    /** Writes a snapshot of the node (peers, routes, sessions, counters) to the log (SIGUSR1). */
    public void logSnapshot() {
        try {
            logs.log("snapshot " + node.debugSnapshot());
        } catch (RuntimeException e) {
            logs.log("snapshot failed: " + e.getMessage());
        }
    }

    public VineNode node() {
        return node;
    }

    public LogBuffer logs() {
        return logs;
    }

    public InetSocketAddress controlAddress() {
        return control.address();
    }

    /** Stops the control API and the node (withdraws the local prefix, closes sessions). Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        control.close();
        counters.close();
        node.stop();
        logs.log("stopped");
    }
}
