package io.vine.cli.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vine.cli.control.Format;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vine config}: checks a config file. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Checks a vine.toml config file.",
        subcommands = ConfigCommand.Validate.class)
public final class ConfigCommand {

    /** {@code vine config validate -c FILE}. */
    @Command(name = "validate", mixinStandardHelpOptions = true, description = {
        "Reads FILE and its identity file and checks everything vine up would: syntax, keys, types, values,",
        "peer ids, multiaddrs, prefixes, permissions. Prints a summary and exits 0, or one error naming",
        "file:line: key and exits 1."})
    public static final class Validate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = {"-c", "--config"}, paramLabel = "FILE", required = true, description = "The config file.")
        Path file;

        @Option(names = "--format", paramLabel = "FORMAT", description = "text or json (default: ${DEFAULT-VALUE}).")
        Format format = Format.text;

        @Override
        public Integer call() {
            ResolvedConfig r = ResolvedConfig.resolve(ConfigLoader.load(file));
            PrintWriter out = spec.commandLine().getOut();
            NodeConfig c = r.config();
            if (format == Format.json) {
                ObjectNode o = new ObjectMapper().createObjectNode();
                o.put("valid", true).put("file", file.toString()).put("name", c.node().name())
                        .put("networkId", c.node().networkId()).put("peerId", r.self().toBase58())
                        .put("tunName", c.tun().name()).put("tunAddress", c.tun().address().toString())
                        .put("localPrefix", r.vine().localPrefix().toString()).put("mtu", c.tun().mtu())
                        .put("allowedPeers", c.allowedPeers().size()).put("bootstrapPeers", c.bootstrapPeers().size())
                        .put("relay", c.relay().enabled()).put("controlListen", hostPort(c));
                var w = o.putArray("warnings");
                c.warnings().forEach(w::add);
                out.println(o);
            } else {
                out.println("config ok: " + file);
                out.printf("  node          %s (network %s)%n", c.node().name(), c.node().networkId());
                out.printf("  peer id       %s%n", r.self());
                out.printf("  tun           %s %s mtu %d%n", c.tun().name(), c.tun().address(), c.tun().mtu());
                out.printf("  local prefix  %s%n", r.vine().localPrefix());
                out.printf("  peers         %d allowed, %d bootstrap%n", c.allowedPeers().size(), c.bootstrapPeers().size());
                out.printf("  relay         %s%n", c.relay().enabled() ? "serving allowlisted peers" : "off");
                out.printf("  control       %s (token %s)%n", hostPort(c), c.control().tokenFile());
                c.warnings().forEach(w -> out.println("warning: " + w));
            }
            out.flush();
            return 0;
        }

        private static String hostPort(NodeConfig c) {
            var a = c.control().listen();
            return a.getAddress().getHostAddress() + ":" + a.getPort();
        }
    }
}
