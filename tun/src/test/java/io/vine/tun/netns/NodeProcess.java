package io.vine.tun.netns;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link NodeMain} JVM started with {@code ip netns exec <ns>}: lines to its stdin, answers from its
 * stdout, its stderr in a log file (printed by the tests when they fail). Closing ends the process.
 */
final class NodeProcess implements AutoCloseable {
    final String name;
    final Path log;
    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private NodeProcess(String name, Path log, Process process) {
        this.name = name;
        this.log = log;
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread.ofPlatform().daemon(true).name("node-" + name + "-stdout").start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // process ended
            }
            lines.add("EOF");
        });
    }

    /** Starts {@link NodeMain} with {@code args} inside namespace {@code ns}. */
    static NodeProcess start(String name, String ns, Path workDir, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns,
                ProcessHandle.current().info().command().orElse("java"),
                "-Xmx256m", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), NodeMain.class.getName()));
        cmd.addAll(args);
        Path log = workDir.resolve(name + ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
            return new NodeProcess(name, log, p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the READY line (the node listens and has bootstrapped). */
    String awaitReady(long millis) {
        String line = next(millis);
        if (!line.startsWith("READY ")) {
            throw new AssertionError(name + " did not become ready: " + line + "\n" + logText());
        }
        return line.substring(6);
    }

    /** Sends one command and returns the answer without its OK; ERR or no answer in 30 s fails. */
    synchronized String call(String command) {
        try {
            stdin.write(command + "\n");
            stdin.flush();
        } catch (IOException e) {
            throw new AssertionError(name + ": cannot send '" + command + "'\n" + logText(), e);
        }
        String line = next(30_000);
        if (!line.startsWith("OK ")) {
            throw new AssertionError(name + ": '" + command + "' answered " + line);
        }
        return line.substring(3);
    }

    private String next(long millis) {
        try {
            String line = lines.poll(millis, TimeUnit.MILLISECONDS);
            if (line == null) {
                throw new AssertionError(name + ": no answer within " + millis + " ms\n" + logText());
            }
            if (line.equals("EOF")) {
                throw new AssertionError(name + ": process ended\n" + logText());
            }
            return line;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** One diagnostics snapshot. */
    Diag diag() {
        return new Diag(call("diag"));
    }

    String logText() {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - 60), all.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                stdin.close(); // EOF stops the node
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (IOException | InterruptedException e) {
                process.destroyForcibly();
            }
        }
    }

    /** The JSON line of {@code diag}, read with patterns (counters, session paths, routes). */
    record Diag(String json) {
        long counter(String counter) {
            Matcher m = Pattern.compile("\"" + counter + "\":(\\d+)").matcher(json);
            return m.find() ? Long.parseLong(m.group(1)) : 0;
        }

        /** The path kind of the session with {@code peer}, or null. */
        String session(String peer) {
            return string("sessions", peer);
        }

        /** "owner@epoch" of {@code prefix}, or null. */
        String route(String prefix) {
            return string("routes", prefix);
        }

        private String string(String section, String key) {
            int at = json.indexOf("\"" + section + "\":{");
            String rest = json.substring(at, json.indexOf('}', at));
            Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\":\"([^\"]*)\"").matcher(rest);
            return m.find() ? m.group(1) : null;
        }
    }
}
