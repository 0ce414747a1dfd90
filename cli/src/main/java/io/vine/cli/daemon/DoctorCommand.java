package io.vine.cli.daemon;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vine.cli.config.ConfigLoader;
import io.vine.cli.config.NodeConfig;
import io.vine.cli.config.ResolvedConfig;
import io.vine.cli.control.Format;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vine doctor -c FILE}: checks what {@code vine up} needs, one line each: the config, the
 * identity, {@code /dev/net/tun}, CAP_NET_ADMIN, the listen and control ports, and whether each
 * bootstrap peer answers a libp2p handshake. Exit 0 when nothing failed (warnings allowed), else 1.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true, description = {
    "Checks what vine up needs: config, identity, /dev/net/tun, CAP_NET_ADMIN, ports, bootstrap peers.",
    "One line per check: ok, warn or FAIL (bootstrap peers must answer a libp2p handshake). Exit 1 on FAIL."})
public final class DoctorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", required = true, description = "The config file.")
    Path file;

    @Option(names = "--format", paramLabel = "FORMAT", description = "text or json (default: ${DEFAULT-VALUE}).")
    Format format = Format.text;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Per bootstrap peer (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds = 5;

    @Override
    public Integer call() {
        Checks checks = new Checks();
        NodeConfig config = null;
        ResolvedConfig resolved = null;
        try {
            config = ConfigLoader.load(file);
            checks.ok("config", file + " is valid");
        } catch (RuntimeException e) {
            checks.fail("config", e.getMessage());
        }
        if (config != null) {
            try {
                resolved = ResolvedConfig.resolve(config);
                checks.ok("identity", "peer id " + resolved.self() + ", local prefix " + resolved.vine().localPrefix());
            } catch (RuntimeException e) {
                checks.fail("identity", e.getMessage());
            }
        }
        Probes.tunDevice(checks);
        Probes.capability(checks);
        if (config != null) {
            Probes.ports(checks, config);
        }
        if (resolved != null) {
            Probes.bootstrap(checks, resolved, timeoutSeconds);
        }
        print(checks.results);
        return checks.failed() ? 1 : 0;
    }

    private void print(List<Checks.Result> results) {
        PrintWriter out = spec.commandLine().getOut();
        boolean ok = results.stream().noneMatch(r -> r.status().equals("FAIL"));
        if (format == Format.json) {
            ObjectNode o = new ObjectMapper().createObjectNode().put("ok", ok);
            var a = o.putArray("checks");
            results.forEach(r -> a.addObject().put("name", r.name()).put("status", r.status().toLowerCase(java.util.Locale.ROOT))
                    .put("detail", r.detail()));
            out.println(o);
        } else {
            int width = results.stream().mapToInt(r -> r.name().length()).max().orElse(0);
            results.forEach(r -> out.printf("%-4s  %-" + width + "s  %s%n", r.status(), r.name(), r.detail()));
            out.println(ok ? "doctor: no problems that stop vine up" : "doctor: problems found");
        }
        out.flush();
    }
}
