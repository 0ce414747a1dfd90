package io.vine.cli.daemon;

import io.vine.cli.config.NodeConfig;
import io.vine.cli.config.ResolvedConfig;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.muxer.yamux.Yamux;
import io.vine.security.noise.NoiseSecurity;
import io.vine.swarm.Swarm;
import io.vine.transport.tcp.TcpTransport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The individual checks of {@code vine doctor}. */
final class Probes {
    /** CAP_NET_ADMIN's bit in the capability sets of /proc/self/status. */
    static final int CAP_NET_ADMIN = 12;

    private Probes() {}

    static void tunDevice(Checks checks) {
        Path tun = Path.of("/dev/net/tun");
        if (!Files.exists(tun)) {
            checks.fail("tun", "/dev/net/tun does not exist (load the tun module: modprobe tun)");
        } else if (!Files.isReadable(tun) || !Files.isWritable(tun)) {
            checks.fail("tun", "/dev/net/tun is not readable and writable by this user");
        } else {
            checks.ok("tun", "/dev/net/tun is present");
        }
    }

    static void capability(Checks checks) {
        Optional<Long> effective = capEff();
        if (effective.isEmpty()) {
            checks.warn("capability", "cannot read CapEff from /proc/self/status (not Linux?)");
        } else if ((effective.get() >> CAP_NET_ADMIN & 1) == 1) {
            checks.ok("capability", "CAP_NET_ADMIN is effective");
        } else {
            checks.fail("capability", "CAP_NET_ADMIN is missing (run as root, or: setcap cap_net_admin+ep on the java binary,"
                    + " or AmbientCapabilities=CAP_NET_ADMIN in the systemd unit)");
        }
    }

    static Optional<Long> capEff() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("CapEff:"))
                    .map(l -> Long.parseUnsignedLong(l.substring(7).strip(), 16)).findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static void ports(Checks checks, NodeConfig config) {
        boolean running = PidFile.running(config.node().pidFile()).isPresent();
        for (Multiaddr m : config.node().listen()) {
            Optional<InetSocketAddress> a = m.toSocketAddress();
            if (a.isEmpty() || !m.toString().contains("/tcp/")) {
                checks.ok("listen", m + " (not a TCP address: not probed)");
            } else if (a.get().getPort() == 0) {
                checks.ok("listen", m + " (any free port)");
            } else {
                bindProbe(checks, "listen", a.get(), m.toString(), running);
            }
        }
        InetSocketAddress control = config.control().listen();
        if (!control.getAddress().isLoopbackAddress()) {
            checks.warn("control", control + " is not a loopback address: the control API is reachable from the network"
                    + " (the bearer token still guards it)");
        }
        if (control.getPort() != 0) {
            bindProbe(checks, "control", control, control.getAddress().getHostAddress() + ":" + control.getPort(), running);
        }
    }

    private static void bindProbe(Checks checks, String name, InetSocketAddress address, String shown, boolean running) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(address);
            checks.ok(name, shown + " is free");
        } catch (IOException e) {
            if (running) {
                checks.warn(name, shown + " is in use (the node is running: its pid file names a live process)");
            } else {
                checks.fail(name, shown + " cannot be bound: " + e.getMessage());
            }
        }
    }

    static void bootstrap(Checks checks, ResolvedConfig resolved, int timeoutSeconds) {
        if (resolved.config().bootstrapPeers().isEmpty()) {
            checks.warn("bootstrap", "no [[bootstrap_peers]]: this node only waits for others to dial it");
            return;
        }
        try (Swarm swarm = Swarm.builder().identity(resolved.key()).transport(new TcpTransport()).security(new NoiseSecurity())
                .muxer(new Yamux()).build()) {
            for (NodeConfig.BootstrapPeer p : resolved.config().bootstrapPeers()) {
                String name = "bootstrap " + p.peerId().toBase58().substring(Math.max(0, p.peerId().toBase58().length() - 8));
                try {
                    var c = swarm.dial(p.address()).get(timeoutSeconds, TimeUnit.SECONDS);
                    checks.ok(name, p.address() + " answers (libp2p handshake as " + c.remotePeer() + ")");
                } catch (java.util.concurrent.TimeoutException e) {
                    checks.fail(name, p.address() + " did not answer within " + timeoutSeconds + " s");
                } catch (Exception e) {
                    Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
                    checks.fail(name, p.address() + " does not answer: " + cause.getMessage());
                }
            }
        }
    }
}
