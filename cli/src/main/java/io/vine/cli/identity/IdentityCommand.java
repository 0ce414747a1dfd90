package io.vine.cli.identity;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vine.cli.control.Format;
import io.vine.core.VineException;
import io.vine.core.crypto.Keys;
import io.vine.core.crypto.PrivKey;
import io.vine.core.crypto.PubKey;
import io.vine.core.peer.IdentityFile;
import io.vine.core.peer.PeerId;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vine identity init|show|export-public|fingerprint --identity-path FILE}: the node's key file.
 * Text output is {@code key=value} lines; {@code --format json} one object (the peer id under
 * {@code peerId}).
 */
@Command(name = "identity", mixinStandardHelpOptions = true, description = "Creates and shows the node's key file.",
        subcommands = {IdentityCommand.Init.class, IdentityCommand.Show.class, IdentityCommand.ExportPublic.class,
            IdentityCommand.Fingerprint.class})
public final class IdentityCommand {

    abstract static class Base implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--identity-path", paramLabel = "FILE", required = true, description = "The key file.")
        Path path;

        @Option(names = "--format", paramLabel = "FORMAT", description = "text or json (default: ${DEFAULT-VALUE}).")
        Format format = Format.text;

        PrivKey load() {
            if (!Files.exists(path)) {
                throw new VineException("identity file " + path + ": does not exist (create it with: vine identity init --identity-path "
                        + path + ")");
            }
            return IdentityFile.load(path);
        }

        void print(Map<String, String> text, Map<String, String> json) {
            PrintWriter out = spec.commandLine().getOut();
            if (format == Format.json) {
                ObjectNode o = new ObjectMapper().createObjectNode();
                json.forEach(o::put);
                out.println(o);
            } else {
                text.forEach((k, v) -> out.println(k + "=" + v));
            }
            out.flush();
        }
    }

    /** {@code vine identity init}: a new Ed25519 key, readable by its owner only; refuses to overwrite. */
    @Command(name = "init", mixinStandardHelpOptions = true,
            description = "Creates a new Ed25519 key file (mode 600) and prints peer_id=<peer id>. Refuses an existing file.")
    public static final class Init extends Base {
        @Override
        public Integer call() {
            if (Files.exists(path)) {
                throw new VineException("identity file " + path + ": already exists (not overwritten; remove it first to make a new identity)");
            }
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                throw new VineException("identity file " + path + ": directory " + parent + " does not exist");
            }
            PrivKey key = Keys.generateEd25519();
            IdentityFile.save(path, key);
            PeerId id = PeerId.fromPublicKey(key.publicKey());
            print(Map.of("peer_id", id.toBase58()), ordered("peerId", id.toBase58(), "path", path.toString()));
            return 0;
        }
    }

    /** {@code vine identity show}. */
    @Command(name = "show", mixinStandardHelpOptions = true, description = "Prints the peer id, key type, public key and fingerprint.")
    public static final class Show extends Base {
        @Override
        public Integer call() {
            PubKey pub = load().publicKey();
            String id = PeerId.fromPublicKey(pub).toBase58();
            String b64 = Base64.getEncoder().encodeToString(pub.marshal());
            print(ordered("peer_id", id, "key_type", pub.type().toString(), "public_key", b64, "fingerprint", fingerprint(pub)),
                    ordered("peerId", id, "keyType", pub.type().toString(), "publicKey", b64, "fingerprint", fingerprint(pub)));
            return 0;
        }
    }

    /** {@code vine identity export-public}: the public key (protobuf PublicKey, base64) to hand to other operators. */
    @Command(name = "export-public", mixinStandardHelpOptions = true,
            description = "Prints the public key (libp2p PublicKey protobuf, base64) and the peer id; never the private key.")
    public static final class ExportPublic extends Base {
        @Override
        public Integer call() {
            PubKey pub = load().publicKey();
            String id = PeerId.fromPublicKey(pub).toBase58();
            String b64 = Base64.getEncoder().encodeToString(pub.marshal());
            print(ordered("peer_id", id, "public_key", b64), ordered("peerId", id, "publicKey", b64));
            return 0;
        }
    }

    /** {@code vine identity fingerprint}: SHA-256 of the public key, for comparing out of band. */
    @Command(name = "fingerprint", mixinStandardHelpOptions = true,
            description = "Prints SHA256:<base64> of the public key protobuf, to compare keys out of band.")
    public static final class Fingerprint extends Base {
        @Override
        public Integer call() {
            PubKey pub = load().publicKey();
            String id = PeerId.fromPublicKey(pub).toBase58();
            print(ordered("peer_id", id, "fingerprint", fingerprint(pub)), ordered("peerId", id, "fingerprint", fingerprint(pub)));
            return 0;
        }
    }

    /** {@code SHA256:} and the unpadded base64 of the SHA-256 of the key's protobuf encoding. */
    public static String fingerprint(PubKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.marshal());
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> ordered(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
