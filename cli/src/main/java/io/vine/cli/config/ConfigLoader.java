package io.vine.cli.config;

import static java.util.Objects.requireNonNull;

import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.peer.PeerId;
import io.vine.tun.IpPrefix;
import io.vine.tun.TunConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Reads and validates a {@code vine.toml}. Refuses (with file, line and key): syntax errors, unknown
 * tables and keys, wrong types and values, bad peer ids and multiaddrs, duplicate peers, overlapping
 * prefixes, bootstrap peers not on the allowlist, a file writable by its group or others, and an
 * identity or token file others than its owner may read.
 */
public final class ConfigLoader {
    /** Config files larger than this are refused. */
    public static final int MAX_FILE_BYTES = 1 << 20;
    /** The control API's default address. */
    public static final String DEFAULT_CONTROL_LISTEN = "127.0.0.1:7070";

    private static final Set<String> TABLES = Set.of("node", "tun", "policy", "relay", "control");
    private static final Set<String> ARRAYS = Set.of("bootstrap_peers", "allowed_peers");
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS_WRITE =
            Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = Set.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private ConfigLoader() {}

    /** Refuses {@code file} (an identity or token file) when its group or others have any permission on it. */
    public static void requireOwnerOnly(Path file, String what) {
        requireNonNull(file, "file");
        checkPermissions(file, GROUP_OR_OTHERS, what, "usable by others than its owner", "chmod 600");
    }

    /** Reads and validates {@code file}. @throws ConfigException naming file, line and key */
    public static NodeConfig load(Path file) {
        requireNonNull(file, "file");
        checkPermissions(file, GROUP_OR_OTHERS_WRITE, "config file", "writable by its group or others", "chmod go-w");
        return parse(file, read(file));
    }

    /** Validates {@code text} as if read from {@code file} (no file system checks on {@code file} itself). */
    public static NodeConfig parse(Path file, String text) {
        Toml.Document doc = Toml.parse(file, text);
        for (var e : doc.root().entries().entrySet()) {
            throw new ConfigException(file, e.getValue().line(), e.getKey(), "key outside any table (expected: under [node], [tun], ...)");
        }
        doc.tables().forEach((name, t) -> {
            if (!TABLES.contains(name)) {
                throw new ConfigException(file, t.line(), name, ARRAYS.contains(name)
                        ? "is an array of tables (expected: [[" + name + "]])"
                        : "unknown table (expected one of: [node], [tun], [[bootstrap_peers]], [[allowed_peers]], [policy], [relay], [control])");
            }
        });
        doc.arrays().forEach((name, list) -> {
            if (!ARRAYS.contains(name)) {
                throw new ConfigException(file, list.get(0).line(), name, TABLES.contains(name)
                        ? "is a table (expected: [" + name + "])" : "unknown array of tables (expected: [[bootstrap_peers]] or [[allowed_peers]])");
            }
        });
        Path dir = file.toAbsolutePath().getParent();
        NodeConfig.Node node = node(file, dir, table(file, doc, "node", true));
        NodeConfig.Tun tun = tun(table(file, doc, "tun", true));
        List<NodeConfig.AllowedPeer> allowed = allowed(file, doc.arrays().getOrDefault("allowed_peers", List.of()));
        List<NodeConfig.BootstrapPeer> bootstrap = bootstrap(file, doc.arrays().getOrDefault("bootstrap_peers", List.of()), allowed);
        Section p = table(file, doc, "policy", false);
        NodeConfig.Policy policy = new NodeConfig.Policy(p.bool("strict_allowlist", true), p.bool("allow_relay", true),
                p.bool("allow_signaling_upgrade", true));
        p.finish();
        Section r = table(file, doc, "relay", false);
        NodeConfig.Relay relay = new NodeConfig.Relay(r.bool("enabled", false),
                (int) r.integer("max_reservations", 1, 1_000_000, 128), (int) r.integer("max_circuits", 1, 1_000_000, 16),
                r.integer("max_circuit_duration_secs", 1, 86_400).map(v -> OptionalInt.of(v.intValue())).orElse(OptionalInt.empty()),
                r.integer("max_circuit_bytes", 1, Long.MAX_VALUE).map(OptionalLong::of).orElse(OptionalLong.empty()));
        r.finish();
        Section c = table(file, doc, "control", false);
        InetSocketAddress listen = c.parsed("listen", "host:port (an IP literal or localhost, port 0 to 65535)", ConfigLoader::hostPort)
                .orElseGet(() -> hostPort(DEFAULT_CONTROL_LISTEN));
        Path token = c.parsed("token_file", "a path", dir::resolve).orElse(dir.resolve("control.token"));
        c.finish();
        if (Files.exists(token)) {
            try {
                requireOwnerOnly(token, "token file");
            } catch (ConfigException e) {
                throw c.error("token_file", e.getMessage());
            }
        }
        NodeConfig config = new NodeConfig(file, node, tun, bootstrap, allowed, policy, relay, new NodeConfig.Control(listen, token));
        checkLocalPrefix(file, doc, config);
        return config;
    }

    private static Section table(Path file, Toml.Document doc, String name, boolean required) {
        Toml.Table t = doc.tables().get(name);
        if (t == null && required) {
            throw new ConfigException(file, 0, name, "missing table (expected: [" + name + "])");
        }
        return new Section(file, t != null ? t : new Toml.Table(name, 0, Map.of()), name);
    }

    private static NodeConfig.Node node(Path file, Path dir, Section s) {
        String name = s.string("name", "vine");
        if (name.isBlank() || name.length() > 64) {
            throw s.error("name", "'" + name + "' (expected: 1 to 64 characters)");
        }
        String network = s.requiredString("network_id");
        if (!network.matches("[A-Za-z0-9._-]{1,64}")) {
            throw s.error("network_id", "'" + network + "' (expected: 1 to 64 characters of A-Z a-z 0-9 . _ -)");
        }
        Path identity = s.requiredParsed("identity_path", "a path", dir::resolve);
        List<Multiaddr> listen = s.list("listen", "a multiaddr", Multiaddr::parse);
        Path pid = s.parsed("pid_file", "a path", dir::resolve).orElse(dir.resolve("vine.pid"));
        Path log = s.parsed("log_file", "a path", dir::resolve).orElse(dir.resolve("vine.log"));
        s.finish();
        if (Files.exists(identity)) {
            try {
                requireOwnerOnly(identity, "identity file");
            } catch (ConfigException e) {
                throw s.error("identity_path", e.getMessage());
            }
        }
        return new NodeConfig.Node(name, network, identity, listen, pid, log);
    }

    private static NodeConfig.Tun tun(Section s) {
        String name = s.string("name", "vine0");
        if (!name.matches("[A-Za-z0-9._-]{1,15}")) {
            throw s.error("name", "'" + name + "' (expected: 1 to 15 characters of A-Z a-z 0-9 . _ -)");
        }
        String text = s.requiredString("address");
        InetAddress address;
        try {
            address = InetAddress.ofLiteral(text);
        } catch (IllegalArgumentException e) {
            throw s.error("address", "'" + text + "' (expected: an IP literal without /length; the length goes in prefix_len)");
        }
        int max = address.getAddress().length * 8;
        long len = s.integer("prefix_len", 1, max).orElseThrow(() -> s.missing("prefix_len", "an integer 1 to " + max));
        int minMtu = max == 32 ? 576 : 1280;
        int mtu = (int) s.integer("mtu", minMtu, 65535, TunConfig.DEFAULT_MTU);
        var local = s.parsed("local_prefix", "an IP prefix like 10.42.1.0/24", IpPrefix::parse);
        boolean offload = s.bool("offload", false);
        int queues = (int) s.integer("queues", 1, 64, 1);
        s.finish();
        IpPrefix tunAddress = new IpPrefix(address, (int) len);
        if (local.isPresent() && (local.get().isIpv4() != tunAddress.isIpv4() || !local.get().contains(address)
                || local.get().length() < len)) {
            throw s.error("local_prefix", local.get() + " (expected: a prefix inside " + tunAddress.network() + " containing " + text + ")");
        }
        return new NodeConfig.Tun(name, tunAddress, mtu, local.map(IpPrefix::network), offload, queues);
    }

    private static List<NodeConfig.AllowedPeer> allowed(Path file, List<Toml.Table> tables) {
        List<NodeConfig.AllowedPeer> out = new ArrayList<>();
        for (int i = 0; i < tables.size(); i++) {
            Section s = new Section(file, tables.get(i), "allowed_peers[" + i + "]");
            PeerId peer = s.requiredParsed("peer_id", "a peer id", PeerId::parse);
            IpPrefix prefix = s.requiredParsed("prefix", "an IP prefix like 10.42.2.0/24", IpPrefix::parse).network();
            boolean relay = s.bool("relay_capable", false);
            s.finish();
            for (int j = 0; j < out.size(); j++) {
                NodeConfig.AllowedPeer o = out.get(j);
                if (o.peerId().equals(peer)) {
                    throw s.error("peer_id", peer + " is already allowed_peers[" + j + "] (line " + o.line() + ")");
                }
                if (overlaps(o.prefix(), prefix)) {
                    throw s.error("prefix", prefix + " overlaps allowed_peers[" + j + "].prefix " + o.prefix()
                            + " (line " + o.line() + ") (expected: disjoint prefixes)");
                }
            }
            out.add(new NodeConfig.AllowedPeer(peer, prefix, relay, tables.get(i).line()));
        }
        return out;
    }

    private static List<NodeConfig.BootstrapPeer> bootstrap(Path file, List<Toml.Table> tables, List<NodeConfig.AllowedPeer> allowed) {
        List<NodeConfig.BootstrapPeer> out = new ArrayList<>();
        for (int i = 0; i < tables.size(); i++) {
            Section s = new Section(file, tables.get(i), "bootstrap_peers[" + i + "]");
            PeerId peer = s.requiredParsed("peer_id", "a peer id", PeerId::parse);
            Multiaddr address = s.requiredParsed("address", "a multiaddr", Multiaddr::parse);
            s.finish();
            if (address.peerId().isPresent() && !address.peerId().get().equals(peer)) {
                throw s.error("address", address + " ends in /p2p/" + address.peerId().get() + " (expected: peer_id " + peer + ")");
            }
            if (allowed.stream().noneMatch(a -> a.peerId().equals(peer))) {
                throw s.error("peer_id", peer + " is not in [[allowed_peers]] (expected: an allowlisted peer)");
            }
            out.add(new NodeConfig.BootstrapPeer(peer, address.peerId().isPresent() ? address : address.withPeerId(peer),
                    tables.get(i).line()));
        }
        return out;
    }

    /** An explicit local_prefix must be the prefix of an allowlist entry or overlap none. */
    private static void checkLocalPrefix(Path file, Toml.Document doc, NodeConfig config) {
        if (config.tun().localPrefix().isEmpty()) {
            return;
        }
        IpPrefix local = config.tun().localPrefix().get();
        for (int i = 0; i < config.allowedPeers().size(); i++) {
            NodeConfig.AllowedPeer p = config.allowedPeers().get(i);
            if (overlaps(p.prefix(), local) && !p.prefix().equals(local)) {
                Toml.Value v = doc.tables().get("tun").entries().get("local_prefix");
                throw new ConfigException(file, v.line(), "tun.local_prefix", local + " overlaps allowed_peers[" + i
                        + "].prefix " + p.prefix() + " (line " + p.line() + ") (expected: disjoint or equal)");
            }
        }
    }

    static boolean overlaps(IpPrefix a, IpPrefix b) {
        if (a.isIpv4() != b.isIpv4()) {
            return false;
        }
        return a.length() <= b.length() ? a.contains(b.address()) : b.contains(a.address());
    }

    static InetSocketAddress hostPort(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("missing :port");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port is not a number");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " out of range; 0 picks a free port");
        }
        InetAddress address = host.equals("localhost") ? InetAddress.getLoopbackAddress() : InetAddress.ofLiteral(host);
        return new InetSocketAddress(address, port);
    }

    /** Refuses a file whose permissions include any of {@code bad} (on file systems with POSIX permissions). */
    static void checkPermissions(Path file, Set<PosixFilePermission> bad, String what, String problem, String fix) {
        try {
            PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
            if (view == null) {
                return;
            }
            Set<PosixFilePermission> perms = view.readAttributes().permissions();
            if (perms.stream().anyMatch(bad::contains)) {
                throw new ConfigException(file, 0, "", what + " permissions " + PosixFilePermissions.toString(perms)
                        + ": " + problem + " (fix with " + fix + ")");
            }
        } catch (NoSuchFileException e) {
            throw new ConfigException(file, 0, "", what + " does not exist");
        } catch (IOException e) {
            throw new ConfigException(file, 0, "", "cannot read " + what + ": " + e);
        }
    }

    private static String read(Path file) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file, 0, "", "config file does not exist");
        } catch (IOException e) {
            throw new ConfigException(file, 0, "", "cannot read config file: " + e);
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw new ConfigException(file, 0, "", "larger than " + MAX_FILE_BYTES + " bytes");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(file, 0, "", "not valid UTF-8");
        }
    }
}
