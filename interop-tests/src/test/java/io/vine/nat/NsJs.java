package io.vine.nat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The js-libp2p interop node ({@code interop-tests/js/node.mjs}, system property
 * {@code vine.interop.jsDir}) running inside a network namespace; stdout line by line, the tail of
 * stderr kept for failures. {@link #available()} says whether node and its modules are installed.
 */
final class NsJs implements AutoCloseable {
    private static final int STDERR_TAIL = 16 * 1024;
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder stderr = new StringBuilder();
    private final String name;

    NsJs(String ns, String... args) throws IOException {
        List<String> command = new ArrayList<>(NatTopology.exec(ns));
        command.addAll(List.of(System.getProperty("vine.interop.node", "node"), "node.mjs"));
        command.addAll(List.of(args));
        this.name = ns + " js " + args[0];
        this.process = new ProcessBuilder(command).directory(jsDir().toFile()).start();
        pump(process.getInputStream(), lines::add);
        pump(process.getErrorStream(), line -> {
            synchronized (stderr) {
                stderr.append(line).append('\n');
                if (stderr.length() > STDERR_TAIL) {
                    stderr.delete(0, stderr.length() - STDERR_TAIL);
                }
            }
        });
    }

    static Path jsDir() {
        return Path.of(System.getProperty("vine.interop.jsDir", "js"));
    }

    /** Whether node runs and js-libp2p is installed ({@code npm ci} in interop-tests/js). */
    static boolean available() {
        if (!Files.isDirectory(jsDir().resolve("node_modules").resolve("@libp2p").resolve("dcutr"))) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(System.getProperty("vine.interop.node", "node"), "--version").start();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void pump(InputStream in, Consumer<String> sink) {
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    sink.accept(line);
                }
            } catch (IOException e) {
                // the process ended
            }
        });
    }

    /** The next stdout line, waiting up to {@code seconds}. */
    String line(int seconds) throws InterruptedException {
        String line = lines.poll(seconds, TimeUnit.SECONDS);
        if (line == null) {
            throw new AssertionError(name + " printed no line within " + seconds + " s (alive: "
                    + process.isAlive() + "); stderr:\n" + stderr());
        }
        return line;
    }

    /** Waits for the process to exit (bounded) and returns its last stdout line. */
    String lastLine(int seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError(name + " did not exit within " + seconds + " s; stderr:\n" + stderr());
        }
        String last = null;
        for (String line; (line = lines.poll(2, TimeUnit.SECONDS)) != null; ) {
            last = line;
        }
        assertThat(last).as("%s printed nothing; stderr:\n%s", name, stderr()).isNotNull();
        return last;
    }

    String stderr() {
        synchronized (stderr) {
            return stderr.toString();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
