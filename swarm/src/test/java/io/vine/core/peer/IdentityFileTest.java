package io.vine.core.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.vine.core.crypto.KeyType;
import io.vine.core.crypto.Keys;
import io.vine.core.crypto.PrivKey;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityFileTest {
    @TempDir
    Path dir;

    @BeforeEach
    void posixOnly() {
        assumeThat(FileSystems.getDefault().supportedFileAttributeViews()).contains("posix");
    }

    private static String perms(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void saveWritesOwnerOnlyAndLoadReadsBack() throws Exception {
        Path file = dir.resolve("identity.key");
        PrivKey key = Keys.generate(KeyType.SECP256K1);
        IdentityFile.save(file, key);
        assertThat(perms(file)).isEqualTo("rw-------");
        assertThat(Files.readAllBytes(file)).isEqualTo(key.marshal());
        assertThat(IdentityFile.load(file).publicKey()).isEqualTo(key.publicKey());
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void saveReplacesAnExistingFile() throws Exception {
        Path file = dir.resolve("id");
        IdentityFile.save(file, Keys.generateEd25519());
        PrivKey second = Keys.generateEd25519();
        IdentityFile.save(file, second);
        assertThat(IdentityFile.load(file).publicKey()).isEqualTo(second.publicKey());
        assertThat(perms(file)).isEqualTo("rw-------");
    }

    @Test
    void groupOrOtherReadableFilesAreRefused() throws Exception {
        Path file = dir.resolve("id");
        IdentityFile.save(file, Keys.generateEd25519());
        for (String p : new String[] {"rw-r-----", "rw----r--", "rw-rw-rw-", "rw-----w-"}) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(p));
            assertThatThrownBy(() -> IdentityFile.load(file)).as(p)
                    .isInstanceOf(IdentityFileException.class)
                    .hasMessageContaining(p)
                    .hasMessageContaining("chmod 600");
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
        assertThat(IdentityFile.load(file).type()).isEqualTo(KeyType.ED25519);
    }

    @Test
    void loadOrCreateCreatesEd25519OnceThenLoads() throws Exception {
        Path file = dir.resolve("sub/dir/id");
        PrivKey created = IdentityFile.loadOrCreate(file);
        assertThat(created.type()).isEqualTo(KeyType.ED25519);
        assertThat(perms(file)).isEqualTo("rw-------");
        assertThat(perms(file.getParent())).isEqualTo("rwx------");
        assertThat(IdentityFile.loadOrCreate(file).marshal()).isEqualTo(created.marshal());
    }

    @Test
    void concurrentLoadOrCreateAgreesOnOneKey() throws Exception {
        Path file = dir.resolve("id");
        CountDownLatch start = new CountDownLatch(1);
        var ids = ConcurrentHashMap.<PeerId>newKeySet();
        var threads = IntStream.range(0, 4).mapToObj(i -> new Thread(() -> {
            try {
                start.await();
            } catch (InterruptedException e) {
                return;
            }
            ids.add(PeerId.fromPublicKey(IdentityFile.loadOrCreate(file).publicKey()));
        })).toList();
        threads.forEach(Thread::start);
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(ids).containsExactly(PeerId.fromPublicKey(IdentityFile.load(file).publicKey()));
    }

    @Test
    void badFilesAreRefusedWithClearErrors() throws Exception {
        assertThatThrownBy(() -> IdentityFile.load(dir.resolve("missing")))
                .isInstanceOf(IdentityFileException.class).hasMessageContaining("missing");
        Path garbage = dir.resolve("garbage");
        Files.write(garbage, new byte[] {8, 1, 18, 3, 1, 2});
        Files.setPosixFilePermissions(garbage, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> IdentityFile.load(garbage))
                .isInstanceOf(IdentityFileException.class).hasMessageContaining("garbage");
        Path huge = dir.resolve("huge");
        Files.write(huge, new byte[IdentityFile.MAX_FILE_BYTES + 1]);
        Files.setPosixFilePermissions(huge, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> IdentityFile.load(huge))
                .isInstanceOf(IdentityFileException.class).hasMessageContaining("larger than");
    }
}
