package io.vine.interop;

import static java.util.Objects.requireNonNull;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
  * A js-libp2p node ({@code interop-tests/js/node.mjs}) run as a child process.
  *
  * <p>{@link #listen} starts a long-running listener and returns once it printed its multiaddr;
  * {@link #dial} runs a dialer to completion and returns its one JSON line. Tests are skipped when
  * {@code node} is not installed; they fail when {@code node_modules} is missing, with the command
  * that installs it.
  *
  * <p>The js directory comes from the system property {@value #JS_DIR_PROPERTY} (set by Surefire in
  * this module's pom), else from Maven's {@code basedir}, else from the working directory.
  */
final class JsNode implements AutoCloseable {

    static final String JS_DIR_PROPERTY = "vine.interop.jsDir";
    static final String NODE_PROPERTY = "vine.interop.node";
    static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    /** node.mjs bounds a dial by its own --timeout (30 s); this is the outer bound. */
    static final Duration DIAL_TIMEOUT = Duration.ofSeconds(45);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Object EOF = new Object();
    private static volatile String nodeVersion;

    private final Process process;
    private final String command;
    private final BlockingQueue<Object> stdout = new LinkedBlockingQueue<>();
    private final StderrTail stderr;
    private String listenAddr;

    private JsNode(Process process, String command) {
        this.process = process;
        this.command = command;
        this.stderr = StderrTail.drain(process.getErrorStream());
        Thread.ofVirtual().name("js-stdout-" + process.pid()).start(this::pumpStdout);
    }

    /** Starts {@code node node.mjs listen <flags>} and waits for its listen multiaddr. */
    static JsNode listen(String... flags) {
        List<String> args = new ArrayList<>(List.of("listen"));
        args.addAll(List.of(flags));
        JsNode node = start(args);
        try {
            String first = node.nextLine(START_TIMEOUT);
            if (first == null || !first.startsWith("/ip4/127.0.0.1/tcp/") || !first.contains("/p2p/")) {
                fail("js listener did not print its multiaddr, got: " + first + node.diagnostics());
            }
            node.listenAddr = first;
            return node;
        } catch (RuntimeException | Error e) {
            node.close();
            throw e;
        }
    }

    /**
      * Runs {@code node node.mjs dial <multiaddr> <flags>} to completion and returns its JSON line;
      * fails the test if it reported an error or did not exit 0.
      */
    static JsonNode dial(String multiaddr, String... flags) {
        Outcome outcome = run(dialArgs(multiaddr, flags));
        if (outcome.exitCode() != 0 || outcome.json().has("error")) {
            fail("js dial " + multiaddr + " failed: " + outcome);
        }
        return outcome.json();
    }

    /** Runs {@code node node.mjs dial ...} to completion and returns whatever it printed. */
    static Outcome dialOutcome(String multiaddr, String... flags) {
        return run(dialArgs(multiaddr, flags));
    }

    /** What a run-to-completion command left behind: exit code, its last JSON line, and stderr. */
    record Outcome(int exitCode, JsonNode json, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + ", stdout " + json + (stderr.isBlank() ? "" : ", stderr:\n" + stderr);
        }
    }

    /** The listener's multiaddr, {@code /ip4/127.0.0.1/tcp/N/p2p/<peer id>}. */
    String listenAddr() {
        return requireNonNull(listenAddr, "not a listener");
    }

    /** The listener's peer id (text form), taken from its multiaddr. */
    String peerId() {
        String addr = listenAddr();
        return addr.substring(addr.lastIndexOf("/p2p/") + "/p2p/".length());
    }

    /** The listener's multiaddr without the {@code /p2p/} part. */
    String transportAddr() {
        String addr = listenAddr();
        return addr.substring(0, addr.lastIndexOf("/p2p/"));
    }

    /**
      * The next JSON line a listener printed (e.g. {@code {"event":"identify",...}}), or a failure
      * if none came within the timeout.
      */
    JsonNode nextEvent(Duration timeout) {
        String line = nextLine(timeout);
        if (line == null) {
            fail("js " + command + " printed no event within " + timeout + diagnostics());
        }
        return parse(line);
    }

    /** Closes the listener's stdin (its signal to stop), then kills it if it lingers. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(3, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(2, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The directory holding node.mjs and package.json. */
    static Path jsDir() {
        String configured = System.getProperty(JS_DIR_PROPERTY);
        if (configured != null) {
            return Path.of(configured);
        }
        String basedir = System.getProperty("basedir");
        Path base = basedir != null ? Path.of(basedir) : Path.of("").toAbsolutePath();
        Path inModule = base.resolve("js");
        return Files.isDirectory(inModule) ? inModule : base.resolve("interop-tests").resolve("js");
    }

    /** Skips the calling test if {@code node} is not installed; fails if npm ci was not run. */
    static void assumeReady() {
        String version = nodeVersion();
        Assumptions.assumeTrue(version != null,
                "node is not installed (or not on PATH; set -D" + NODE_PROPERTY + "=<path to node>): "
                        + "skipping the js-libp2p interop tests");
        if (!version.matches("v(2\\d|[3-9]\\d|\\d{3,})\\..*")) {
            fail("node " + version + " is too old: the js-libp2p interop node needs Node 20 or newer");
        }
        Path js = jsDir();
        if (!Files.isRegularFile(js.resolve("node.mjs"))) {
            fail("no node.mjs in " + js + " (set -D" + JS_DIR_PROPERTY + "=<interop-tests/js>)");
        }
        if (!Files.isDirectory(js.resolve("node_modules").resolve("libp2p"))) {
            fail("js-libp2p is not installed: run `npm ci` in interop-tests/js (" + js + ")");
        }
    }

    private static String nodeExecutable() {
        return System.getProperty(NODE_PROPERTY, "node");
    }

    /** {@code node --version}, or null when node cannot be started. */
    private static String nodeVersion() {
        String cached = nodeVersion;
        if (cached != null) {
            return cached.isEmpty() ? null : cached;
        }
        String found = "";
        try {
            Process p = new ProcessBuilder(nodeExecutable(), "--version").redirectErrorStream(true).start();
            if (p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0) {
                found = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            } else {
                p.destroyForcibly();
            }
        } catch (IOException e) {
            // not installed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        nodeVersion = found;
        return found.isEmpty() ? null : found;
    }

    private static List<String> dialArgs(String multiaddr, String... flags) {
        List<String> args = new ArrayList<>(List.of("dial", requireNonNull(multiaddr, "multiaddr")));
        args.addAll(List.of(flags));
        return args;
    }

    private static JsNode start(List<String> args) {
        assumeReady();
        List<String> cmd = new ArrayList<>(List.of(nodeExecutable(), "node.mjs"));
        cmd.addAll(args);
        try {
            Process process = new ProcessBuilder(cmd).directory(jsDir().toFile()).start();
            return new JsNode(process, String.join(" ", args));
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + cmd + " in " + jsDir(), e);
        }
    }

    private static Outcome run(List<String> args) {
        try (JsNode node = start(args)) {
            try {
                if (!node.process.waitFor(DIAL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    fail("js " + node.command + " did not exit within " + DIAL_TIMEOUT + node.diagnostics());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for js " + node.command, e);
            }
            String last = null;
            for (String line; (line = node.nextLine(Duration.ofSeconds(5))) != null; ) {
                if (!line.isBlank()) {
                    last = line;
                }
            }
            if (last == null) {
                fail("js " + node.command + " printed nothing" + node.diagnostics());
            }
            node.stderr.awaitEnd(Duration.ofSeconds(2));
            return new Outcome(node.process.exitValue(), parse(last), node.stderr.text());
        }
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new AssertionError("js printed a line that is not JSON: " + line, e);
        }
    }

    /** The next stdout line, or null at end of stream or timeout. */
    private String nextLine(Duration timeout) {
        try {
            Object line = stdout.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (line == EOF) {
                stdout.add(EOF); // stay at end of stream for later calls
                return null;
            }
            return (String) line;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private void pumpStdout() {
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                stdout.add(line);
            }
        } catch (IOException e) {
            // the process went away; EOF below
        } finally {
            stdout.add(EOF);
        }
    }

    private String diagnostics() {
        String alive = process.isAlive() ? "running" : "exited " + process.exitValue();
        return " (js " + command + ": " + alive + ", stderr:\n" + stderr.text() + ")";
    }

    /** Keeps the last few KiB of a child's stderr for failure messages, so the pipe never fills. */
    private static final class StderrTail {
        private static final int MAX = 16 * 1024;
        private final StringBuilder tail = new StringBuilder();
        private Thread reader;

        static StderrTail drain(InputStream in) {
            StderrTail t = new StderrTail();
            t.reader = Thread.ofVirtual().start(() -> {
                byte[] buf = new byte[4096];
                try (in) {
                    for (int n; (n = in.read(buf)) > 0; ) {
                        t.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    }
                } catch (IOException ignored) {
                    // process gone
                }
            });
            return t;
        }

        void awaitEnd(Duration timeout) {
            try {
                reader.join(timeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        synchronized void append(String s) {
            tail.append(s);
            if (tail.length() > MAX) {
                tail.delete(0, tail.length() - MAX);
            }
        }

        synchronized String text() {
            return tail.toString();
        }
    }
}
