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
import io.vine.protocol.dcutr.HolePunchFailed;
import io.vine.protocol.dcutr.HolePunchSucceeded;
import io.vine.tun.TunConfig;
import io.vine.tun.TunDevice;
import io.vine.tun.overlay.Reload;
import io.vine.tun.overlay.VineEvent;
import io.vine.tun.overlay.VineNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A node as {@code vine up} runs it: the {@link VineNode} of a config file, its log, its swarm
 * counters and its control API. {@link #start} returns once the node listens and the control API
 * serves; bootstrap runs in the background and logs each step.
 */
public final class NodeRunner implements AutoCloseable {
    /** The config in force: replaced by each reload that applied. */
    private ResolvedConfig resolved;
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
            node.swarm().subscribe(e -> {
                switch (e) {
                    case HolePunchSucceeded h -> logs.log("hole punch to " + h.peer() + ": direct connection " + h.direct().remoteAddress());
                    case HolePunchFailed h -> logs.log("hole punch to " + h.peer() + " failed (" + h.reason() + "): " + h.detail());
                    default -> { }
                }
            });
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
     * Re-reads the config file (SIGHUP, admin hook) and applies its allowlist, bootstrap peers and
     * {@code [policy]} strict_allowlist / allow_relay to the running node ({@link VineNode#reload}):
     * new peers are admitted and dialed, removed ones disconnected, unchanged sessions kept as they
     * are. A file that does not validate, or that changes what only a restart applies ({@code [node]},
     * {@code [tun]}, {@code [relay]}, {@code [control]}, the identity, allow_signaling_upgrade), changes
     * nothing. Returns what happened (also logged).
     */
    public synchronized String reload() {
        String result;
        try {
            ResolvedConfig fresh = ResolvedConfig.resolve(ConfigLoader.load(resolved.config().file()));
            List<String> restart = restartOnly(resolved, fresh);
            if (!restart.isEmpty()) {
                result = "reload: refused, nothing applied: " + String.join(", ", restart)
                        + " changed, which only a restart applies (vine down; vine up)";
            } else {
                Reload r = node.reload(fresh.vine()).get(30, TimeUnit.SECONDS);
                resolved = fresh;
                result = r.changedAnything() ? "reload: applied: " + r : "reload: config unchanged";
            }
        } catch (ConfigException e) {
            result = "reload: refused, nothing applied: " + e.getMessage();
        } catch (ExecutionException e) {
            result = "reload: refused, nothing applied: " + e.getCause().getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result = "reload: interrupted";
        } catch (TimeoutException | RuntimeException e) {
            result = "reload: failed: " + e;
        }
        logs.log(result);
        return result;
    }

    /** The config keys that differ between {@code a} and {@code b} and that a running node cannot take over. */
    static List<String> restartOnly(ResolvedConfig a, ResolvedConfig b) {
        NodeConfig x = a.config();
        NodeConfig y = b.config();
        List<String> out = new ArrayList<>();
        diff(out, "node.name", x.node().name(), y.node().name());
        diff(out, "node.network_id", x.node().networkId(), y.node().networkId());
        diff(out, "node.identity_path", List.of(x.node().identityPath(), a.self()), List.of(y.node().identityPath(), b.self()));
        diff(out, "node.listen", x.node().listen(), y.node().listen());
        diff(out, "node.pid_file", x.node().pidFile(), y.node().pidFile());
        diff(out, "node.log_file", x.node().logFile(), y.node().logFile());
        diff(out, "tun", x.tun(), y.tun());
        diff(out, "tun (local prefix)", a.vine().localPrefix(), b.vine().localPrefix());
        diff(out, "policy.allow_signaling_upgrade", x.policy().allowSignalingUpgrade(), y.policy().allowSignalingUpgrade());
        diff(out, "relay", x.relay(), y.relay());
        diff(out, "control", x.control(), y.control());
        return out;
    }

    private static void diff(List<String> out, String key, Object a, Object b) {
        if (!Objects.equals(a, b)) {
            out.add(key);
        }
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
