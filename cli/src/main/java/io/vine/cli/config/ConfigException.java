package io.vine.cli.config;

import io.vine.core.VineException;
import java.nio.file.Path;

/**
 * A config file vine refuses, with the file, the line (0 when the whole file is meant) and the key
 * ({@code table.key}, {@code allowed_peers[1].prefix}) in its message: {@code vine.toml:12: tun.mtu: ...}.
 */
public final class ConfigException extends VineException {
    private final Path file;
    private final int line;
    private final String key;

    public ConfigException(Path file, int line, String key, String message) {
        super(format(file, line, key, message));
        this.file = file;
        this.line = line;
        this.key = key;
    }

    private static String format(Path file, int line, String key, String message) {
        StringBuilder sb = new StringBuilder(String.valueOf(file));
        if (line > 0) {
            sb.append(':').append(line);
        }
        sb.append(": ");
        if (key != null && !key.isEmpty()) {
            sb.append(key).append(": ");
        }
        return sb.append(message).toString();
    }

    public Path file() {
        return file;
    }

    /** The line, 1-based; 0 when the error is about the whole file. */
    public int line() {
        return line;
    }

    /** The key, qualified by its table; empty when none applies. */
    public String key() {
        return key == null ? "" : key;
    }
}
