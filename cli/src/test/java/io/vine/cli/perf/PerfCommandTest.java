package io.vine.cli.perf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vine.cli.Main;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code vine perf server} as a child process, {@code vine perf client} in this JVM and as a process. */
class PerfCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADDRESS = "/ip4/127\\.0\\.0\\.1/tcp/\\d+/p2p/12D3KooW[1-9A-HJ-NP-Za-km-z]+";

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void serverPrintsItsFullAddressFirstAndClientPrintsJsonLines() throws Exception {
        String server = startServer();
        assertThat(server).matches(ADDRESS);

        Run run = runClient("--server", server, "--upload-bytes", "60000000", "--download-bytes", "70000000",
                "--format", "json");

        assertThat(run.code).as(run.err).isZero();
        List<JsonNode> lines = run.json();
        assertThat(lines).isNotEmpty();
        for (JsonNode line : lines) {
            assertThat(fieldNames(line)).containsExactly("type", "timeSeconds", "uploadBytes", "downloadBytes");
            assertThat(line.get("timeSeconds").isNumber()).isTrue();
            assertThat(line.get("uploadBytes").canConvertToLong()).isTrue();
        }
        JsonNode last = lines.getLast();
        assertThat(last.get("type").asText()).isEqualTo("final");
        assertThat(last.get("uploadBytes").asLong()).isEqualTo(60_000_000L);
        assertThat(last.get("downloadBytes").asLong()).isEqualTo(70_000_000L);
        List<JsonNode> intermediary = lines.subList(0, lines.size() - 1);
        assertThat(intermediary).allSatisfy(l -> {
            assertThat(l.get("type").asText()).isEqualTo("intermediary");
            assertThat(l.get("timeSeconds").asDouble()).isBetween(0.9, 5.0);
        });
        // one line per full second of the run (which also counts opening the stream)
        int seconds = (int) Math.floor(last.get("timeSeconds").asDouble());
        assertThat(intermediary).hasSizeBetween(seconds, seconds + 1);
        assertThat(intermediary.stream().mapToLong(l -> l.get("downloadBytes").asLong()).sum())
                .isLessThanOrEqualTo(70_000_000L);
    }

    @Test
    void textOutputShowsTheResultInGbitPerSecond() throws Exception {
        String server = startServer("--security", "plaintext");

        Run run = runClient("--server", server, "--upload-bytes", "1000000", "--download-bytes", "2000000",
                "--security", "plaintext");

        assertThat(run.code).as(run.err).isZero();
        assertThat(run.out).contains("/plaintext/2.0.0", "/yamux/1.0.0")
                .containsPattern("upload: +1000000 bytes in [0-9.]+ s: [0-9.]+ Gbit/s")
                .containsPattern("download: +2000000 bytes in [0-9.]+ s: [0-9.]+ Gbit/s")
                .containsPattern("total: +3000000 bytes");
    }

    @Test
    void clientHonoursTheBandwidthPerfEnvironment() throws Exception {
        String server = startServer();
        String port = server.split("/")[4];
        String peer = server.substring(server.lastIndexOf('/') + 1);

        Process client = start(Map.of("RESPONDER_KEY", peer, "RESPONDER_PORT", port, "BYTE_SIZE", "3000000"),
                "perf", "client", "--format", "json");

        List<String> out = readAll(client);
        assertThat(client.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(client.exitValue()).as("%s", out).isZero();
        JsonNode last = JSON.readTree(out.getLast());
        assertThat(last.get("type").asText()).isEqualTo("final");
        assertThat(last.get("uploadBytes").asLong()).isEqualTo(3_000_000L);
        assertThat(last.get("downloadBytes").asLong()).isEqualTo(3_000_000L);
    }

    @Test
    void requestOverTheServersMaximumFailsClearlyAndTheServerKeepsServing() throws Exception {
        String server = startServer("--max-download-bytes", "1000000");

        Run refused = runClient("--server", server, "--upload-bytes", "10", "--download-bytes", "1000001",
                "--format", "json");

        assertThat(refused.code).isEqualTo(1);
        JsonNode error = refused.json().getLast();
        assertThat(error.get("type").asText()).isEqualTo("error");
        assertThat(error.get("error").asText()).contains("reset", "maximum");
        assertThat(refused.err).contains("error: perf:");

        Run ok = runClient("--server", server, "--upload-bytes", "10", "--download-bytes", "1000000", "--format", "json");
        assertThat(ok.code).as(ok.err).isZero();
        assertThat(ok.json().getLast().get("downloadBytes").asLong()).isEqualTo(1_000_000L);
    }

    @Test
    void badInputIsAUsageError() {
        assertThat(runClient("--server", "/ip4/127.0.0.1/tcp/1/p2p/12D3KooWCLNrVWF66MB7RSHmSb8BcnbQFChCrXUpsSTu3tzB5afE",
                "--upload-bytes", "-1").code).isEqualTo(2);
        Run noServer = runClient("--upload-bytes", "1");
        // RESPONDER_KEY is not set in the test environment
        if (System.getenv("RESPONDER_KEY") == null) {
            assertThat(noServer.code).isEqualTo(2);
            assertThat(noServer.err).contains("RESPONDER_KEY");
        }
    }

    // ---- helpers ----

    private record Run(int code, String out, String err) {
        List<JsonNode> json() throws IOException {
            List<JsonNode> lines = new ArrayList<>();
            for (String line : out.split("\n")) {
                if (!line.isBlank()) {
                    lines.add(JSON.readTree(line));
                }
            }
            return lines;
        }
    }

    /** Runs {@code vine perf client <args>} in this JVM, capturing what it prints. */
    private static synchronized Run runClient(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of("perf", "client"));
        all.addAll(List.of(args));
        if (!all.contains("--jit")) {
            all.addAll(List.of("--jit", "full")); // leave this JVM's JIT policy alone: ShortRunJitTest tests it
        }
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(all.toArray(String[]::new));
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** Starts {@code vine perf server} on loopback as a child process; returns its first line. */
    private String startServer(String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("perf", "server", "--listen", "/ip4/127.0.0.1/tcp/0"));
        args.addAll(List.of(extra));
        Process p = start(Map.of(), args.toArray(String[]::new));
        BufferedReader reader = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String first = reader.readLine();
        assertThat(first).as("the server's first line").isNotNull();
        return first;
    }

    private Process start(Map<String, String> env, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().remove("PORT");
        pb.environment().remove("RESPONDER_KEY");
        pb.environment().putAll(env);
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    private static List<String> readAll(Process p) throws IOException {
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                lines.add(line);
            }
        }
        return lines;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
