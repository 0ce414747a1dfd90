package io.vine.cli.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vine.cli.CliRun;
import io.vine.core.crypto.Keys;
import io.vine.core.peer.IdentityFile;
import io.vine.core.peer.PeerId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityCommandTest {
    @TempDir
    Path dir;

    @Test
    void initCreatesOwnerOnlyKeyAndPrintsPeerId() throws Exception {
        Path key = dir.resolve("node.key");
        CliRun r = CliRun.run("identity", "init", "--identity-path", key.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        PeerId id = PeerId.fromPublicKey(IdentityFile.load(key).publicKey());
        assertThat(r.out()).isEqualTo("peer_id=" + id.toBase58() + System.lineSeparator());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");

        CliRun again = CliRun.run("identity", "init", "--identity-path", key.toString());
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("already exists");
        assertThat(PeerId.fromPublicKey(IdentityFile.load(key).publicKey())).isEqualTo(id);
    }

    @Test
    void showExportFingerprintInTextAndJson() throws Exception {
        Path key = dir.resolve("k");
        var priv = Keys.ed25519FromSeed(new byte[32]);
        IdentityFile.save(key, priv);
        String id = PeerId.fromPublicKey(priv.publicKey()).toBase58();
        String pub = Base64.getEncoder().encodeToString(priv.publicKey().marshal());
        ObjectMapper json = new ObjectMapper();

        CliRun show = CliRun.run("identity", "show", "--identity-path", key.toString());
        assertThat(show.out()).contains("peer_id=" + id, "key_type=ED25519", "public_key=" + pub, "fingerprint=SHA256:");
        JsonNode showJson = json.readTree(CliRun.run("identity", "show", "--identity-path", key.toString(), "--format", "json").out());
        assertThat(showJson.get("peerId").asText()).isEqualTo(id);
        assertThat(showJson.get("publicKey").asText()).isEqualTo(pub);

        JsonNode export = json.readTree(CliRun.run("identity", "export-public", "--identity-path", key.toString(), "--format=json").out());
        assertThat(export.get("peerId").asText()).isEqualTo(id);
        assertThat(export.get("publicKey").asText()).isEqualTo(pub);
        assertThat(export.has("privateKey")).isFalse();
        assertThat(PeerId.fromPublicKey(Keys.unmarshalPublicKey(Base64.getDecoder().decode(export.get("publicKey").asText()))).toBase58())
                .isEqualTo(id);

        JsonNode fp = json.readTree(CliRun.run("identity", "fingerprint", "--identity-path", key.toString(), "--format", "json").out());
        assertThat(fp.get("peerId").asText()).isEqualTo(id);
        assertThat(fp.get("fingerprint").asText()).isEqualTo(IdentityCommand.fingerprint(priv.publicKey())).startsWith("SHA256:");
        assertThat(CliRun.run("identity", "fingerprint", "--identity-path", key.toString()).out())
                .isEqualTo("peer_id=" + id + System.lineSeparator() + "fingerprint=" + fp.get("fingerprint").asText() + System.lineSeparator());
    }

    @Test
    void badFilesAreClearErrors() throws Exception {
        CliRun missing = CliRun.run("identity", "show", "--identity-path", dir.resolve("none").toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("does not exist");

        Path garbage = dir.resolve("garbage");
        Files.write(garbage, new byte[] {1, 2, 3});
        Files.setPosixFilePermissions(garbage, PosixFilePermissions.fromString("rw-------"));
        CliRun bad = CliRun.run("identity", "show", "--identity-path", garbage.toString());
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).startsWith("error: identity file " + garbage);

        Path open = dir.resolve("open");
        IdentityFile.save(open, Keys.generateEd25519());
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        CliRun perms = CliRun.run("identity", "show", "--identity-path", open.toString());
        assertThat(perms.exit()).isEqualTo(1);
        assertThat(perms.err()).contains("chmod 600");

        CliRun noDir = CliRun.run("identity", "init", "--identity-path", dir.resolve("no/such/dir/k").toString());
        assertThat(noDir.exit()).isEqualTo(1);
        assertThat(noDir.err()).contains("does not exist");

        assertThat(CliRun.run("identity", "show").exit()).isEqualTo(2);
        assertThat(CliRun.run("identity", "show", "--identity-path", open.toString(), "--format", "xml").exit()).isEqualTo(2);
    }
}
