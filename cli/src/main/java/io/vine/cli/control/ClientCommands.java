package io.vine.cli.control;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vine status|peers|routes|sessions|counters|snapshot|ping|logs|connect}: ask the running node. */
public final class ClientCommands {
    private ClientCommands() {}

    abstract static class Base implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ClientOptions options = new ClientOptions();

        abstract JsonNode fetch(ControlClient client);

        abstract void text(JsonNode result, PrintWriter out);

        @Override
        public Integer call() {
            JsonNode result = fetch(options.client());
            PrintWriter out = spec.commandLine().getOut();
            if (options.format == Format.json) {
                out.println(result);
            } else {
                text(result, out);
            }
            out.flush();
            return 0;
        }
    }

    /** A command that GETs one route and renders its JSON as text. */
    abstract static class Get extends Base {
        private final String path;
        private final BiConsumer<JsonNode, PrintWriter> render;

        Get(String path, BiConsumer<JsonNode, PrintWriter> render) {
            this.path = path;
            this.render = render;
        }

        @Override
        JsonNode fetch(ControlClient client) {
            return client.get(path);
        }

        @Override
        void text(JsonNode result, PrintWriter out) {
            render.accept(result, out);
        }
    }

    /** {@code vine status}. */
    @Command(name = "status", mixinStandardHelpOptions = true, description = "Shows the running node: identity, state, peer and connection counts.")
    public static final class Status extends Get {
        public Status() {
            super("/p2p/status", Render::status);
        }
    }

    /** {@code vine peers}. */
    @Command(name = "peers", mixinStandardHelpOptions = true, description = "Lists the allowlisted peers and whether they are connected.")
    public static final class Peers extends Get {
        public Peers() {
            super("/p2p/peers", Render::peers);
        }
    }

    /** {@code vine routes}. */
    @Command(name = "routes", mixinStandardHelpOptions = true, description = "Lists the overlay route table.")
    public static final class Routes extends Get {
        public Routes() {
            super("/p2p/routes", Render::routes);
        }
    }

    /** {@code vine sessions}. */
    @Command(name = "sessions", mixinStandardHelpOptions = true,
            description = "Lists the sessions: path (direct, or relay through whom), latency, bytes.")
    public static final class Sessions extends Get {
        public Sessions() {
            super("/p2p/sessions", Render::sessions);
        }
    }

    /** {@code vine counters}. */
    @Command(name = "counters", mixinStandardHelpOptions = true, description = "Shows the overlay counters (packets_sent, route_misses, ...).")
    public static final class Counters extends Get {
        public Counters() {
            super("/p2p/counters", Render::counters);
        }
    }

    /** {@code vine snapshot}. */
    @Command(name = "snapshot", mixinStandardHelpOptions = true, description = "Shows status, peers, routes, sessions and counters at once.")
    public static final class Snapshot extends Get {
        public Snapshot() {
            super("/p2p/snapshot", ClientCommands::snapshot);
        }
    }

    /** {@code vine ping <overlay address or peer id>}. */
    @Command(name = "ping", mixinStandardHelpOptions = true,
            description = "Pings a peer over the overlay's control protocol; TARGET is a peer id or an overlay IP address.")
    public static final class Ping extends Base {
        @Parameters(paramLabel = "TARGET", description = "A peer id or an overlay address (its route's owner is pinged).")
        String target;

        @Override
        JsonNode fetch(ControlClient client) {
            return client.get("/p2p/ping?peer=" + URLEncoder.encode(target, StandardCharsets.UTF_8));
        }

        @Override
        void text(JsonNode o, PrintWriter out) {
            out.printf("%s: rtt %.3f ms%n", o.get("peerId").asText(), o.get("rttMs").asDouble());
        }
    }

    /** {@code vine connect <multiaddr>}. */
    @Command(name = "connect", mixinStandardHelpOptions = true, description = "Asks the node to dial an address ending in /p2p/<peer id>.")
    public static final class Connect extends Base {
        @Parameters(paramLabel = "MULTIADDR", description = "The address to dial.")
        String address;

        @Override
        JsonNode fetch(ControlClient client) {
            return client.post("/p2p/connect", NodeView.JSON.createObjectNode().put("address", address));
        }

        @Override
        void text(JsonNode o, PrintWriter out) {
            out.println("connected to " + o.get("peerId").asText() + " via " + o.get("remoteAddress").asText()
                    + " (" + o.get("path").asText() + ")");
        }
    }

    /** {@code vine logs [--follow]}. */
    @Command(name = "logs", mixinStandardHelpOptions = true, description = "Prints the node's recent log lines; --follow streams new ones.")
    public static final class Logs implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ClientOptions options = new ClientOptions();

        @Option(names = "--lines", paramLabel = "N", description = "How many recent lines (default: ${DEFAULT-VALUE}).")
        int lines = 100;

        @Option(names = {"-f", "--follow"}, description = "Keep streaming new lines.")
        boolean follow;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            ControlClient client = options.client();
            if (follow) {
                client.follow(lines, line -> {
                    out.println(line);
                    out.flush();
                });
                return 0;
            }
            JsonNode o = client.get("/p2p/logs?lines=" + lines);
            if (options.format == Format.json) {
                out.println(o);
            } else {
                o.get("lines").forEach(l -> out.println(l.asText()));
            }
            out.flush();
            return 0;
        }
    }

    private static void snapshot(JsonNode o, PrintWriter out) {
        Render.status(o.get("status"), out);
        out.println();
        Render.peers(o.get("peers"), out);
        out.println();
        Render.routes(o.get("routes"), out);
        out.println();
        Render.sessions(o.get("sessions"), out);
        out.println();
        Render.counters(o.get("counters"), out);
    }
}
