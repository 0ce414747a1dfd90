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
            throw new ConfigException(config.file(), 0, "", "invalid overlay config: " + e.getMessage());
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

    private static VineConfig rebuild(VineConfig v, PrivKey key) {
        VineConfig.Builder b = VineConfig.builder(v.networkId()).tunName(v.tunName()).tunAddress(v.tunAddress())
                .localPrefix(v.localPrefix()).mtu(v.mtu()).offload(v.offload()).queues(v.queues())
                .identity(IdentitySource.key(key)).relay(v.relay()).strictAllowlist(v.strictAllowlist())
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
