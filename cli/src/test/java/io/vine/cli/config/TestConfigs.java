package io.vine.cli.config;

import io.vine.core.crypto.Keys;
import io.vine.core.crypto.PrivKey;
import io.vine.core.peer.IdentityFile;
import io.vine.core.peer.PeerId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** A valid config text with known line numbers, and helpers to write it with an identity. */
public final class TestConfigs {
    public static final PrivKey SELF_KEY = Keys.ed25519FromSeed(new byte[32]);
    public static final PeerId SELF = PeerId.fromPublicKey(SELF_KEY.publicKey());
    public static final PeerId BETA = PeerId.fromPublicKey(Keys.ed25519FromSeed(seed(2)).publicKey());
    public static final PeerId GAMMA = PeerId.fromPublicKey(Keys.ed25519FromSeed(seed(3)).publicKey());

    private TestConfigs() {}

    public static byte[] seed(int b) {
        byte[] s = new byte[32];
        s[0] = (byte) b;
        return s;
    }

    /** Lines 1..38; see the test for which key is on which line. */
    public static String valid() {
        return """
                # vine test config
                [node]
                name = "alpha"
                network_id = "vine-test"
                identity_path = "alpha.key"
                listen = ["/ip4/127.0.0.1/tcp/0"]

                [tun]
                name = "vine0"
                address = "10.42.1.1"
                prefix_len = 16
                mtu = 1420

                [[allowed_peers]]
                peer_id = "SELF"
                prefix = "10.42.1.0/24"
                relay_capable = false

                [[allowed_peers]]
                peer_id = "BETA"
                prefix = "10.42.2.0/24"
                relay_capable = true

                [[bootstrap_peers]]
                peer_id = "BETA"
                address = "/ip4/127.0.0.1/tcp/4001"

                [policy]
                strict_allowlist = true
                allow_relay = true
                allow_signaling_upgrade = false

                [relay]
                enabled = false

                [control]
                listen = "127.0.0.1:7070"
                token_file = "control.token"
                """;
    }

    public static String ids(String text) {
        return text.replace("SELF", SELF.toBase58()).replace("BETA", BETA.toBase58()).replace("GAMMA", GAMMA.toBase58());
    }

    /** {@code text} with line {@code n} (1-based) replaced. */
    public static String replaceLine(String text, int n, String line) {
        String[] lines = text.split("\n", -1);
        lines[n - 1] = line;
        return String.join("\n", lines);
    }

    /** Writes {@code text} (ids substituted) as dir/vine.toml (rw-r--r--) and the SELF key as dir/alpha.key. */
    public static Path write(Path dir, String text) throws IOException {
        Path file = dir.resolve("vine.toml");
        Files.writeString(file, ids(text));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        Path key = dir.resolve("alpha.key");
        if (!Files.exists(key)) {
            IdentityFile.save(key, SELF_KEY);
        }
        return file;
    }
}
