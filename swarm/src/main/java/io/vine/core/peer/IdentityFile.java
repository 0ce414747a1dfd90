package io.vine.core.peer;

import static java.util.Objects.requireNonNull;

import io.vine.core.crypto.KeyFormatException;
import io.vine.core.crypto.Keys;
import io.vine.core.crypto.PrivKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Private keys on disk: the protobuf {@code PrivateKey} bytes, as go-libp2p and others store them.
 * Files are written atomically with owner-only permissions ({@code rw-------}), and a file that its
 * group or others may read is refused, on file systems with POSIX permissions.
 */
public final class IdentityFile {
    /** Bound on the size of an identity file (an RSA-8192 key is about 4.7 KiB). */
    static final int MAX_FILE_BYTES = 16 * 1024;

    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private IdentityFile() {}

    /**
     * Reads a private key.
     *
     * @throws IdentityFileException if the file cannot be read, is too large, may be read or written
     *     by its group or others, or does not hold a valid key
     */
    public static PrivKey load(Path path) {
        requireNonNull(path, "path");
        try {
            checkPermissions(path);
            byte[] bytes;
            try (InputStream in = Files.newInputStream(path)) {
                bytes = in.readNBytes(MAX_FILE_BYTES + 1);
            }
            if (bytes.length > MAX_FILE_BYTES) {
                throw new IdentityFileException(
                        "identity file " + path + ": larger than " + MAX_FILE_BYTES + " bytes");
            }
            return Keys.unmarshalPrivateKey(bytes);
        } catch (KeyFormatException e) {
            throw new IdentityFileException("identity file " + path + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IdentityFileException("identity file " + path + ": cannot read: " + e, e);
        }
    }

    private static void checkPermissions(Path path) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        if (view == null) {
            return;
        }
        Set<PosixFilePermission> perms = view.readAttributes().permissions();
        if (perms.stream().anyMatch(GROUP_OR_OTHERS::contains)) {
            throw new IdentityFileException("identity file " + path + ": permissions "
                    + PosixFilePermissions.toString(perms) + " let others than its owner use it"
                    + " (expected: rw------- ; fix with chmod 600)");
        }
    }

    /**
     * Writes a private key, replacing the file atomically; the new file is readable by its owner
     * only.
     *
     * @throws IdentityFileException if the file cannot be written
     */
    public static void save(Path path, PrivKey key) {
        requireNonNull(path, "path");
        requireNonNull(key, "key");
        write(path, key, true);
    }

    /**
     * Reads the private key at {@code path}, or, when there is no file, creates one with a new
     * Ed25519 key. When two processes create the file at once, both end up with the key that was
     * written first.
     */
    public static PrivKey loadOrCreate(Path path) {
        requireNonNull(path, "path");
        if (Files.exists(path)) {
            return load(path);
        }
        PrivKey key = Keys.generateEd25519();
        try {
            write(path, key, false);
            return key;
        } catch (IdentityFileException e) {
            if (e.getCause() instanceof FileAlreadyExistsException) {
                return load(path);
            }
            throw e;
        }
    }

    private static void write(Path path, PrivKey key, boolean replace) {
        Path abs = path.toAbsolutePath();
        Path dir = abs.getParent();
        boolean posix = Files.getFileAttributeView(dir != null && Files.exists(dir) ? dir : abs.getRoot(),
                PosixFileAttributeView.class) != null;
        FileAttribute<?>[] attrs = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        Path tmp = null;
        try {
            if (dir != null && !Files.isDirectory(dir)) {
                Files.createDirectories(dir, posix
                        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
                        : new FileAttribute<?>[0]);
            }
            tmp = Files.createTempFile(dir, "." + abs.getFileName(), ".tmp", attrs);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(key.marshal());
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            if (replace) {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                // A hard link fails if the target exists, unlike a rename: first writer wins.
                linkOrMove(tmp, abs);
            }
            tmp = null;
        } catch (IOException e) {
            throw new IdentityFileException("identity file " + path + ": cannot write: " + e, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the temporary file holds the key with owner-only permissions
                }
            }
        }
    }

    private static void linkOrMove(Path tmp, Path target) throws IOException {
        try {
            Files.createLink(target, tmp);
            Files.delete(tmp);
        } catch (UnsupportedOperationException e) {
            if (Files.exists(target)) {
                throw new FileAlreadyExistsException(target.toString());
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        }
    }
}
