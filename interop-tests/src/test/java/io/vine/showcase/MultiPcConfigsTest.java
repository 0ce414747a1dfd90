package io.vine.showcase;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The four configs of {@code examples/multi-pc} pass {@code vine config validate} (the real command).
 * Their key files are not committed, so each run creates four keys with {@code vine identity init},
 * puts their peer ids in place of the example ids (as an operator does) and points identity_path at them.
 */
class MultiPcConfigsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path EXAMPLE = Path.of(System.getProperty("user.dir")).resolve("../examples/multi-pc").normalize();
    private static final String KEY_PATH = "/var/lib/vine/vine.key";
    private static final Pattern ENTRY = Pattern.compile("peer_id = \"(\\w+)\"\\s*\\nprefix = \"([0-9./]+)\"");
    /** Each machine: its config, the /24 it owns, its bootstrap peer count, whether it serves as a relay. */
    private static final List<Machine> MACHINES = List.of(new Machine("alpha", "10.42.0.0/24", 2, false),
            new Machine("beta", "10.42.1.0/24", 2, false), new Machine("gamma", "10.42.2.0/24", 1, false),
            new Machine("relay", "10.42.254.0/24", 0, true));

    record Machine(String name, String prefix, int bootstrapPeers, boolean relay) {}

    record Outcome(int exitCode, String stdout, String stderr) {}

    @Test
    void everyConfigValidatesWithFreshKeys(@TempDir Path dir) throws Exception {
        Map<String, String> exampleIds = allowlist(read("alpha"));
        assertThat(exampleIds).as("alpha's allowlist").containsOnlyKeys(MACHINES.stream().map(Machine::prefix).toList());
        Map<String, String> freshIds = new LinkedHashMap<>();
        for (Machine m : MACHINES) {
            assertThat(allowlist(read(m.name()))).as("%s.toml shares alpha's allowlist", m.name()).isEqualTo(exampleIds);
            Outcome init = run("identity", "init", "--identity-path", dir.resolve(m.name() + ".key").toString());
            assertThat(init.exitCode()).as("%s", init).isZero();
            freshIds.put(exampleIds.get(m.prefix()), init.stdout().strip().replace("peer_id=", ""));
        }
        for (Machine m : MACHINES) {
            String text = read(m.name()).replace(KEY_PATH, dir.resolve(m.name() + ".key").toString());
            for (var e : freshIds.entrySet()) {
                text = text.replace(e.getKey(), e.getValue());
            }
            Path config = Files.writeString(dir.resolve(m.name() + ".toml"), text);

            Outcome out = run("config", "validate", "-c", config.toString(), "--format", "json");

            assertThat(out.exitCode()).as("%s.toml: %s", m.name(), out).isZero();
            JsonNode v = JSON.readTree(out.stdout());
            assertThat(v.path("valid").asBoolean()).isTrue();
            assertThat(v.path("name").asText()).isEqualTo(m.name());
            assertThat(v.path("peerId").asText()).isEqualTo(freshIds.get(exampleIds.get(m.prefix())));
            assertThat(v.path("localPrefix").asText()).isEqualTo(m.prefix());
            assertThat(v.path("tunAddress").asText()).startsWith(m.prefix().replace(".0/24", ".1"));
            assertThat(v.path("allowedPeers").asInt()).isEqualTo(4);
            assertThat(v.path("bootstrapPeers").asInt()).isEqualTo(m.bootstrapPeers());
            assertThat(v.path("relay").asBoolean()).isEqualTo(m.relay());
        }
    }

    @Test
    void aMachineWhosePeerIdIsNotInTheAllowlistIsRefused(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("stranger.key");
        assertThat(run("identity", "init", "--identity-path", key.toString()).exitCode()).isZero();
        Path config = Files.writeString(dir.resolve("alpha.toml"), read("alpha").replace(KEY_PATH, key.toString()));

        Outcome out = run("config", "validate", "-c", config.toString());

        assertThat(out.exitCode()).as("%s", out).isEqualTo(1);
        assertThat(out.stderr()).contains("no [[allowed_peers]] entry has this node's peer id");
    }

    @Test
    void noKeyFilesAreCommitted() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLE)) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            assertThat(names).contains("alpha.toml", "beta.toml", "gamma.toml", "relay.toml", "vine.service", "README.md");
            assertThat(names).noneMatch(n -> n.endsWith(".key") || n.endsWith(".token"));
        }
    }

    private static String read(String machine) throws IOException {
        return Files.readString(EXAMPLE.resolve(machine + ".toml"));
    }

    /** The {@code [[allowed_peers]]} entries: prefix to peer id. */
    private static Map<String, String> allowlist(String toml) {
        Map<String, String> byPrefix = new LinkedHashMap<>();
        Matcher m = ENTRY.matcher(toml);
        while (m.find()) {
            byPrefix.put(m.group(2), m.group(1));
        }
        return byPrefix;
    }

    private static Outcome run(String... args) throws Exception {
        String jar = System.getProperty("vine.cli.jar");
        assertThat(jar).as("system property vine.cli.jar").isNotNull();
        assertThat(Path.of(jar)).as("%s exists (mvn package the cli first)", jar).isRegularFile();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-jar", jar));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).start();
        CompletableFuture<String> out = readAll(p.getInputStream());
        CompletableFuture<String> err = readAll(p.getErrorStream());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("vine " + String.join(" ", args) + " did not finish in 60 s");
        }
        return new Outcome(p.exitValue(), out.get(5, TimeUnit.SECONDS), err.get(5, TimeUnit.SECONDS));
    }

    private static CompletableFuture<String> readAll(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }
}
