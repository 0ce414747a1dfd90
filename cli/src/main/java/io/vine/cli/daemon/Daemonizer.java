package io.vine.cli.daemon;

import io.vine.cli.config.NodeConfig;
import io.vine.core.VineException;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code vine up --daemon}: the JVM cannot fork, so it starts a second JVM running {@code vine up}
 * in the foreground (same java, JVM options and class path) with stdin from /dev/null and output
 * appended to the log file, then waits until the child has written its pid file (which it does once
 * its control API serves) or has died.
 */
final class Daemonizer {
    private static final long START_TIMEOUT_MS = 30_000;

    private Daemonizer() {}

    static int spawn(Path file, NodeConfig config, boolean memoryTun, PrintWriter out) throws IOException, InterruptedException {
        Path pid = config.node().pidFile();
        Optional<ProcessHandle> running = PidFile.running(pid);
        if (running.isPresent()) {
            throw new VineException("already running: pid " + running.get().pid() + " (pid file " + pid + "; stop it with vine down)");
        }
        Files.deleteIfExists(pid);
        Path log = config.node().logFile();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> !a.startsWith("-agentlib:jdwp") && !a.startsWith("-javaagent")).toList());
        if (command.stream().noneMatch(a -> a.startsWith("--enable-native-access"))) {
            command.add("--enable-native-access=ALL-UNNAMED"); // the TUN device uses the FFM API
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.vine.cli.Main");
        command.add("up");
        command.add("-c");
        command.add(file.toAbsolutePath().toString());
        if (memoryTun) {
            command.add("--memory-tun");
        }
        long logStart = Files.exists(log) ? Files.size(log) : 0;
        Process child = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            if (!child.isAlive()) {
                throw new VineException("the node exited with status " + child.exitValue() + " while starting; log " + log + ":\n"
                        + tail(log, logStart));
            }
            if (PidFile.read(pid).map(p -> p == child.pid()).orElse(false)) {
                out.println("started pid " + child.pid() + " (pid file " + pid + ", log " + log + ")");
                out.flush();
                return 0;
            }
            Thread.sleep(50);
        }
        child.destroy();
        throw new VineException("the node did not start within " + START_TIMEOUT_MS / 1000 + " s; log " + log);
    }

    private static String tail(Path log, long from) {
        try {
            byte[] all = Files.readAllBytes(log);
            int start = (int) Math.max(from, all.length - 4096L);
            return new String(all, start, all.length - start, java.nio.charset.StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "(cannot read the log: " + e.getMessage() + ")";
        }
    }
}
