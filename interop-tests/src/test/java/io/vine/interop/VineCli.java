package io.vine.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code vine} command (the cli module's shaded jar) run as a child process on the JDK that
 * runs the tests. The jar's path comes from the system property {@value #JAR_PROPERTY}.
 */
final class VineCli implements AutoCloseable {
    static final String JAR_PROPERTY = "vine.cli.jar";
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final BufferedReader stdout;
    private final String firstLine;

    record Outcome(int exitCode, String stdout, String stderr) {}

    private VineCli(Process process) throws IOException {
        this.process = process;
        this.stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return stdout.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        String first;
        try {
            first = line.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new AssertionError("vine printed no first line within 30 s", e);
        }
        if (first == null) {
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            throw new AssertionError("vine exited before printing its address: " + err);
        }
        this.firstLine = first;
    }

    /** Starts a long-running vine command and waits for its first stdout line. */
    static VineCli start(String... args) throws IOException {
        return new VineCli(builder(args).redirectError(ProcessBuilder.Redirect.DISCARD).start());
    }

    /** Runs a vine command to completion. */
    static Outcome run(String... args) throws Exception {
        Process p = builder(args).start();
        CompletableFuture<String> out = readAll(p.getInputStream());
        CompletableFuture<String> err = readAll(p.getErrorStream());
        if (!p.waitFor(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("vine " + String.join(" ", args) + " did not finish in " + RUN_TIMEOUT);
        }
        return new Outcome(p.exitValue(), out.get(5, TimeUnit.SECONDS), err.get(5, TimeUnit.SECONDS));
    }

    String firstLine() {
        return firstLine;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static ProcessBuilder builder(String... args) {
        String jar = System.getProperty(JAR_PROPERTY);
        assertThat(jar).as("system property " + JAR_PROPERTY).isNotNull();
        assertThat(Files.isRegularFile(Path.of(jar))).as("%s exists (mvn package the cli first)", jar).isTrue();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-jar", jar));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    private static CompletableFuture<String> readAll(java.io.InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }
}
