package io.vine.cli.control;

import static java.util.Objects.requireNonNull;

import io.vine.cli.config.ConfigLoader;
import io.vine.core.VineException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/** The control API's bearer token file: one line, readable by its owner only. */
public final class Tokens {
    private static final int MAX_BYTES = 1024;

    private Tokens() {}

    /** Reads the token in {@code file}, refusing a missing, empty, oversized or group/other-readable file. */
    public static String read(Path file) {
        requireNonNull(file, "file");
        if (!Files.exists(file)) {
            throw new VineException("token file " + file + ": does not exist (vine up creates it)");
        }
        ConfigLoader.requireOwnerOnly(file, "token file");
        try {
            byte[] bytes = Files.readAllBytes(file);
            String token = new String(bytes, StandardCharsets.UTF_8).strip();
            if (bytes.length > MAX_BYTES || token.isEmpty() || !token.matches("[\\x21-\\x7e]+")) {
                throw new VineException("token file " + file + ": expected one line of 1 to " + MAX_BYTES + " printable characters");
            }
            return token;
        } catch (IOException e) {
            throw new VineException("token file " + file + ": cannot read: " + e, e);
        }
    }

    /** Reads the token in {@code file}, or writes a new random one (mode 600) when there is no file. */
    public static String readOrCreate(Path file) {
        requireNonNull(file, "file");
        if (!Files.exists(file)) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String token = HexFormat.of().formatHex(random);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, token + "\n");
            } catch (FileAlreadyExistsException raced) {
                return read(file);
            } catch (IOException e) {
                throw new VineException("token file " + file + ": cannot create: " + e, e);
            }
        }
        return read(file);
    }
}
