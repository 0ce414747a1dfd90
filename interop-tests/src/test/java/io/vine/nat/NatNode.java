package io.vine.nat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code vine} command (the cli module's shaded jar, system property {@code vine.cli.jar})
 * running inside a network namespace; its stdout read line by line, its stderr kept for failures.
 */
final class NatNode implements AutoCloseable {
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder stderr = new StringBuilder();
    private final String name;

    NatNode(String ns, String... args) throws IOException {
        String jar = System.getProperty("vine.cli.jar");
        assertThat(jar).as("system property vine.cli.jar").isNotNull();
        assertThat(Files.isRegularFile(Path.of(jar))).as("%s exists (mvn package the cli first)", jar).isTrue();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(NatTopology.exec(ns));
        // AutoNAT's debug lines (which server was asked, which gave no verdict) end up in a failure's message
        command.addAll(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-Dorg.slf4j.simpleLogger.log.io.vine.protocol.autonat=debug", "-jar", jar));
        command.addAll(List.of(args));
        this.name = ns;
        this.process = new ProcessBuilder(command).start();
        pump(process.getInputStream(), line -> lines.add(line));
        pump(process.getErrorStream(), line -> {
            synchronized (stderr) {
                stderr.append(line).append('\n');
            }
        });
    }

    private static void pump(java.io.InputStream in, java.util.function.Consumer<String> sink) {
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
            String err;
            synchronized (stderr) {
                err = stderr.toString();
            }
            throw new AssertionError("vine in " + name + " printed no line within " + seconds + " s (alive: "
                    + process.isAlive() + "); stderr:\n" + err);
        }
        return line;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
