package io.vine.cli.daemon;

import io.vine.cli.config.ConfigLoader;
import io.vine.cli.config.NodeConfig;
import io.vine.cli.config.ResolvedConfig;
import io.vine.core.VineException;
import io.vine.tun.MemoryTunDevice;
import io.vine.tun.TunConfig;
import io.vine.tun.TunDevice;
import io.vine.tun.linux.LinuxTun;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vine up -c FILE [--daemon]}: runs the node of a config file until SIGTERM/SIGINT (graceful:
 * withdraws its prefix, closes sessions, removes the pid file). SIGHUP re-reads the config and applies
 * a changed allowlist and bootstrap peers in place, keeping healthy sessions ({@link NodeRunner#reload});
 * SIGUSR1 writes a snapshot to the log.
 */
@Command(name = "up", mixinStandardHelpOptions = true, description = {
    "Runs the node of FILE: in the foreground (log on stdout) until SIGTERM or SIGINT, or --daemon.",
    "--daemon: starts it in the background (log in [node] log_file, pid in [node] pid_file) and returns",
    "once its control API serves; stop it with vine down. SIGHUP: re-read the config and apply its allowlist,",
    "bootstrap peers and policy in place (healthy sessions kept; [node], [tun], [relay], [control] need a restart).",
    "SIGUSR1: write a snapshot to the log."})
public final class UpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", required = true, description = "The config file.")
    Path file;

    @Option(names = "--daemon", description = "Run in the background with a pid file.")
    boolean daemon;

    @Option(names = "--memory-tun", hidden = true, description = "Use an in-memory TUN device (tests, no root).")
    boolean memoryTun;

    @Override
    public Integer call() throws Exception {
        NodeConfig config = ConfigLoader.load(file);
        ResolvedConfig resolved = ResolvedConfig.resolve(config);
        if (daemon) {
            return Daemonizer.spawn(file, config, memoryTun, spec.commandLine().getOut());
        }
        PrintWriter out = spec.commandLine().getOut();
        Path pid = config.node().pidFile();
        PidFile.running(pid).filter(p -> p.pid() != ProcessHandle.current().pid()).ifPresent(p -> {
            throw new VineException("already running: pid " + p.pid() + " (pid file " + pid + "; stop it with vine down)");
        });
        Function<TunConfig, TunDevice> device = memoryTun ? c -> MemoryTunDevice.pair(c).device() : LinuxTun::open;
        NodeRunner runner;
        try {
            runner = NodeRunner.start(resolved, device, line -> {
                synchronized (out) {
                    out.println(line);
                    out.flush();
                }
            });
        } catch (RuntimeException e) {
            throw new VineException("cannot start the node: " + e.getMessage(), e);
        }
        try {
            PidFile.claim(pid);
        } catch (RuntimeException e) {
            runner.close();
            throw e;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Signals.on("TERM", stop::countDown, runner.logs()::log);
        Signals.on("INT", stop::countDown, runner.logs()::log);
        Signals.on("HUP", () -> Thread.ofPlatform().daemon().start(runner::reload), runner.logs()::log);
        Signals.on("USR1", () -> Thread.ofPlatform().daemon().start(runner::logSnapshot), runner.logs()::log);
        Thread hook = new Thread(() -> {
            runner.close();
            PidFile.release(pid);
        }, "vine-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        runner.logs().log("running (pid " + ProcessHandle.current().pid() + ", pid file " + pid + ")");
        stop.await();
        runner.logs().log("stopping (signal)");
        runner.close();
        PidFile.release(pid);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway; close is idempotent
        }
        return 0;
    }
}
