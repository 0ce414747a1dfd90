package io.vine.cli.control;

import io.vine.cli.config.ConfigLoader;
import io.vine.cli.config.NodeConfig;
import io.vine.core.VineException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * Where a client command finds the control API: {@code -c FILE} (its {@code [control]} listen and
 * token_file), or {@code --control HOST:PORT} and {@code --token-file FILE}, which override it.
 */
public final class ClientOptions {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "The node's config file (control listen and token_file).")
    Path config;

    @Option(names = "--control", paramLabel = "HOST:PORT", description = "The control API address (default: from -c, else 127.0.0.1:7070).")
    String control;

    @Option(names = "--token-file", paramLabel = "FILE", description = "The bearer token file (default: from -c).")
    Path tokenFile;

    @Option(names = "--format", paramLabel = "FORMAT", description = "text or json (default: ${DEFAULT-VALUE}).")
    Format format = Format.text;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Request timeout (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds = 20;

    ControlClient client() {
        NodeConfig c = config == null ? null : ConfigLoader.load(config);
        InetSocketAddress address;
        try {
            address = control != null ? hostPort(control)
                    : c != null ? c.control().listen() : hostPort(ConfigLoader.DEFAULT_CONTROL_LISTEN);
        } catch (IllegalArgumentException e) {
            throw new VineException("--control: '" + control + "' (expected: host:port; " + e.getMessage() + ")");
        }
        Path token = tokenFile != null ? tokenFile : c != null ? c.control().tokenFile() : null;
        if (token == null) {
            throw new VineException("no token file: give -c FILE or --token-file FILE");
        }
        if (timeoutSeconds < 1 || timeoutSeconds > 3600) {
            throw new VineException("--timeout: " + timeoutSeconds + " (expected: 1 to 3600)");
        }
        return new ControlClient(address, Tokens.read(token), Duration.ofSeconds(timeoutSeconds));
    }

    private static InetSocketAddress hostPort(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("missing :port");
        }
        String host = text.substring(0, colon).replace("[", "").replace("]", "");
        int port = Integer.parseInt(text.substring(colon + 1));
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " out of range");
        }
        return new InetSocketAddress(host.equals("localhost") ? java.net.InetAddress.getLoopbackAddress()
                : java.net.InetAddress.ofLiteral(host), port);
    }
}
