package io.vine.cli.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Typed access to one table of a config file. Every getter names the file, line and qualified key in
 * what it refuses; {@link #finish()} refuses the keys no getter asked for (unknown keys).
 */
final class Section {
    private final Path file;
    private final Toml.Table table;
    private final String prefix;
    private final Set<String> known;

    Section(Path file, Toml.Table table, String qualifiedName) {
        this.file = file;
        this.table = table;
        this.prefix = qualifiedName.isEmpty() ? "" : qualifiedName + ".";
        this.known = new HashSet<>();
    }

    int line() {
        return table.line();
    }

    String key(String key) {
        return prefix + key;
    }

    ConfigException error(String key, String message) {
        Toml.Value v = table.entries().get(key);
        return new ConfigException(file, v == null ? table.line() : v.line(), prefix + key, message);
    }

    Optional<String> string(String key) {
        return get(key, String.class, "a string");
    }

    String string(String key, String fallback) {
        return string(key).orElse(fallback);
    }

    String requiredString(String key) {
        return string(key).orElseThrow(() -> missing(key, "a string"));
    }

    Optional<Boolean> bool(String key) {
        return get(key, Boolean.class, "true or false");
    }

    boolean bool(String key, boolean fallback) {
        return bool(key).orElse(fallback);
    }

    /** An integer in {@code [min, max]}. */
    Optional<Long> integer(String key, long min, long max) {
        Optional<Long> v = get(key, Long.class, "an integer");
        if (v.isPresent() && (v.get() < min || v.get() > max)) {
            throw error(key, v.get() + " (expected: " + min + " to " + max + ")");
        }
        return v;
    }

    long integer(String key, long min, long max, long fallback) {
        return integer(key, min, max).orElse(fallback);
    }

    /** A list of strings, each parsed by {@code parse} (its exceptions' messages are kept). */
    <T> List<T> list(String key, String what, Function<String, T> parse) {
        known.add(key);
        Toml.Value v = table.entries().get(key);
        if (v == null) {
            return List.of();
        }
        if (!(v.value() instanceof List<?> items)) {
            throw error(key, describe(v.value()) + " (expected: an array of " + what + ")");
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Object item = ((Toml.Value) items.get(i)).value();
            if (!(item instanceof String s)) {
                throw error(key, "[" + i + "]: " + describe(item) + " (expected: " + what + ")");
            }
            out.add(parsed(key + "[" + i + "]", key, s, what, parse));
        }
        return out;
    }

    /** A string parsed by {@code parse}; an exception it throws becomes an error naming the key. */
    <T> Optional<T> parsed(String key, String what, Function<String, T> parse) {
        return string(key).map(s -> parsed(key, key, s, what, parse));
    }

    <T> T requiredParsed(String key, String what, Function<String, T> parse) {
        return parsed(key, what, parse).orElseThrow(() -> missing(key, what));
    }

    private <T> T parsed(String shown, String key, String text, String what, Function<String, T> parse) {
        try {
            return parse.apply(text);
        } catch (RuntimeException e) {
            Toml.Value v = table.entries().get(key);
            throw new ConfigException(file, v == null ? table.line() : v.line(), prefix + shown,
                    "'" + text + "' is not " + what + " (" + e.getMessage() + ")");
        }
    }

    ConfigException missing(String key, String what) {
        return new ConfigException(file, table.line(), prefix + key, "missing (expected: " + what + ")");
    }

    /** Refuses every key no getter asked for. */
    void finish() {
        for (var e : table.entries().entrySet()) {
            if (!known.contains(e.getKey())) {
                throw new ConfigException(file, e.getValue().line(), prefix + e.getKey(),
                        "unknown key (expected one of: " + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    private <T> Optional<T> get(String key, Class<T> type, String expected) {
        known.add(key);
        Toml.Value v = table.entries().get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!type.isInstance(v.value())) {
            throw error(key, describe(v.value()) + " (expected: " + expected + ")");
        }
        return Optional.of(type.cast(v.value()));
    }

    private static String describe(Object value) {
        if (value instanceof String s) {
            return "the string \"" + s + "\"";
        }
        if (value instanceof List<?>) {
            return "an array";
        }
        if (value instanceof Boolean b) {
            return "the boolean " + b;
        }
        return "the integer " + value;
    }
}
