package io.vine.cli.daemon;

import static java.util.Objects.requireNonNull;

import io.vine.core.VineException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/** The pid file of a running node: one decimal pid and a newline. */
public final class PidFile {
    private PidFile() {}

    /** The live process named by {@code file}, if the file exists and names one. */
    public static Optional<ProcessHandle> running(Path file) {
        return read(file).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
    }

    /** The pid in {@code file}; empty when there is no file. @throws VineException when it holds something else */
    public static Optional<Long> read(Path file) {
        requireNonNull(file, "file");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            String text = Files.readString(file).strip();
            if (!text.matches("[1-9][0-9]{0,9}")) {
                throw new VineException("pid file " + file + ": '" + text + "' (expected: a process id)");
            }
            return Optional.of(Long.parseLong(text));
        } catch (IOException e) {
            throw new VineException("pid file " + file + ": cannot read: " + e, e);
        }
    }

    /** Writes this process's pid, refusing when {@code file} names another live process. */
    public static void claim(Path file) {
        Optional<ProcessHandle> other = running(file).filter(p -> p.pid() != ProcessHandle.current().pid());
        if (other.isPresent()) {
            throw new VineException("already running: pid " + other.get().pid() + " (pid file " + file + "; stop it with vine down)");
        }
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, ProcessHandle.current().pid() + "\n");
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new VineException("pid file " + file + ": cannot write: " + e, e);
        }
    }

    /** Removes {@code file} if it still names this process. */
    public static void release(Path file) {
        try {
            if (read(file).map(p -> p == ProcessHandle.current().pid()).orElse(false)) {
                Files.deleteIfExists(file);
            }
        } catch (IOException | VineException ignored) {
            // nothing to clean up
        }
    }
}
