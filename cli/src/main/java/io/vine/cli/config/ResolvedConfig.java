package io.vine.cli.config;

import static java.util.Objects.requireNonNull;

import io.vine.core.crypto.PrivKey;
import io.vine.core.peer.IdentityFile;
import io.vine.core.peer.PeerId;
import io.vine.tun.overlay.IdentitySource;
import io.vine.tun.overlay.PeerEntry;
import io.vine.tun.overlay.VineConfig;
import java.nio.file.Files;

/**
 * A config file together with the node's key: the peer id, the prefix it owns and the runtime
 * {@link VineConfig}, checked as {@code VineNode.init} would check them.
 *
 * @param config the file's contents
 * @param key the node's private key
 * @param self its peer id
 * @param vine the runtime config (identity: the loaded key)
 */
public record ResolvedConfig(NodeConfig config, PrivKey key, PeerId self, VineConfig vine) {

    /**
     * Loads the identity named by {@code [node] identity_path} (which must exist and be readable by
     * its owner only) and maps the config onto a {@link VineConfig}.
     *
     * @throws ConfigException naming the file and key of what is wrong
     */
    public static ResolvedConfig resolve(NodeConfig config) {
        requireNonNull(config, "config");
        var path = config.node().identityPath();
        if (!Files.exists(path)) {
            throw new ConfigException(config.file(), 0, "node.identity_path", path
                    + " does not exist (create it with: vine identity init --identity-path " + path + ")");
        }
        PrivKey key;
        try {
            ConfigLoader.requireOwnerOnly(path, "identity file");
            key = IdentityFile.load(path);
        } catch (RuntimeException e) {
            throw new ConfigException(config.file(), 0, "node.identity_path", e.getMessage());
        }
        PeerId self = PeerId.fromPublicKey(key.publicKey());
        VineConfig vine;
        try {
            vine = config.toVineConfig(self);
        } catch (IllegalArgumentException e) {
            throw translate(config, self, e.getMessage());
        }
        for (NodeConfig.AllowedPeer p : config.allowedPeers()) {
            if (p.peerId().equals(self) != p.prefix().equals(vine.localPrefix())) {
                throw new ConfigException(config.file(), p.line(), "allowed_peers.prefix", p.peerId().equals(self)
                        ? "the local peer " + self + " owns " + p.prefix() + " (expected: the local prefix " + vine.localPrefix() + ")"
                        : p.peerId() + " owns the local prefix " + p.prefix() + " (expected: only the local peer " + self + ")");
            }
        }
        VineConfig withKey = rebuild(vine, key);
        return new ResolvedConfig(config, key, self, withKey);
    }

    private static final java.util.regex.Pattern INDEXED = java.util.regex.Pattern.compile("(allowlist|bootstrap)\\[(\\d+)\\](\\.\\w+)?: (.*)");

    /** A VineConfig refusal, named by the config file's keys (and line, for peers). */
    private static ConfigException translate(NodeConfig config, PeerId self, String message) {
        String hint = config.tun().localPrefix().isEmpty() && config.allowedPeers().stream().noneMatch(p -> p.peerId().equals(self))
                ? " (no [[allowed_peers]] entry has this node's peer id " + self + ", so the local prefix is the whole tun network"
                + " " + config.tun().address().network() + "; add an entry or set tun.local_prefix)" : "";
        var m = INDEXED.matcher(message);
        if (m.matches()) {
            int i = Integer.parseInt(m.group(2));
            boolean peers = m.group(1).equals("allowlist");
            int line = peers ? config.allowedPeers().get(i).line() : config.bootstrapPeers().get(i).line();
            String field = m.group(3) == null ? "" : m.group(3).equals(".peer") ? ".peer_id" : m.group(3);
            return new ConfigException(config.file(), line, (peers ? "allowed_peers[" : "bootstrap_peers[") + i + "]" + field,
                    m.group(4) + hint);
        }
        for (String[] k : new String[][] {{"tunName", "tun.name"}, {"tunAddress", "tun.address"}, {"localPrefix", "tun.local_prefix"},
            {"mtu", "tun.mtu"}, {"queues", "tun.queues"}, {"networkId", "node.network_id"}}) {
            if (message.startsWith(k[0] + ":")) {
                return new ConfigException(config.file(), 0, k[1], message.substring(k[0].length() + 1).strip() + hint);
            }
        }
        return new ConfigException(config.file(), 0, "", "invalid overlay config: " + message + hint);
    }

    private static VineConfig rebuild(VineConfig v, PrivKey key) {
        VineConfig.Builder b = VineConfig.builder(v.networkId()).tunName(v.tunName()).tunAddress(v.tunAddress())
                .localPrefix(v.localPrefix()).mtu(v.mtu()).offload(v.offload()).queues(v.queues())
                .identity(IdentitySource.key(key)).relay(v.relay()).relayLimits(v.relayLimits()).strictAllowlist(v.strictAllowlist())
                .signalingUpgrade(v.signalingUpgrade())
                .keepalive(v.keepaliveInterval(), v.keepaliveTimeout()).redial(v.redialMin(), v.redialMax());
        for (PeerEntry e : v.allowlist()) {
            b.peer(e);
        }
        v.bootstrap().forEach(b::bootstrap);
        v.seeds().forEach(b::seed);
        v.listen().forEach(b::listen);
        return b.build();
    }
}
