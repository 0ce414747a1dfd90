package io.vine.cli.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A reader for the subset of TOML 1.0 a vine config uses: comments, {@code [table]},
 * {@code [[array.of.tables]]}, bare or quoted keys, basic and literal strings, integers, booleans and
 * (possibly multi-line) arrays of those. Every value keeps the line it was written on, so that errors
 * name file, line and key. Anything else (inline tables, dotted keys, floats, dates) is refused with a
 * clear message rather than half-understood.
 */
final class Toml {
    /** A value with the line it was written on: String, Long, Boolean or List of Value. */
    record Value(Object value, int line) {}

    /** One table: its header line and its keys in order. */
    record Table(String name, int line, Map<String, Value> entries) {}

    /** The document: the root table, named tables, and arrays of tables (each element a table). */
    record Document(Table root, Map<String, Table> tables, Map<String, List<Table>> arrays) {}

    private final Path file;
    private final String text;
    private int pos;
    private int line = 1;
    /** The qualified name of the table being read, with a trailing dot; keys in errors are qualified by it. */
    private String scope = "";

    private Toml(Path file, String text) {
        this.file = file;
        this.text = text;
    }

    static Document parse(Path file, String text) {
        return new Toml(file, text).document();
    }

    private Document document() {
        Table root = new Table("", 1, new LinkedHashMap<>());
        Map<String, Table> tables = new LinkedHashMap<>();
        Map<String, List<Table>> arrays = new LinkedHashMap<>();
        Table current = root;
        while (true) {
            skipBlank();
            if (pos >= text.length()) {
                break;
            }
            char c = text.charAt(pos);
            if (c == '[') {
                int at = line;
                boolean array = text.startsWith("[[", pos);
                pos += array ? 2 : 1;
                scope = "";
                skipSpaces();
                String name = key();
                skipSpaces();
                expect(array ? "]]" : "]", name);
                endOfLine(name);
                current = new Table(name, at, new LinkedHashMap<>());
                if (array) {
                    if (tables.containsKey(name)) {
                        throw error(at, name, "already defined as a table (expected: [" + name + "] or [[" + name + "]], not both)");
                    }
                    List<Table> list = arrays.computeIfAbsent(name, k -> new ArrayList<>());
                    list.add(current);
                    scope = name + "[" + (list.size() - 1) + "].";
                } else {
                    if (tables.containsKey(name) || arrays.containsKey(name)) {
                        throw error(at, name, "table defined twice");
                    }
                    tables.put(name, current);
                    scope = name + ".";
                }
            } else {
                int at = line;
                String key = key();
                skipSpaces();
                expect("=", key);
                skipSpaces();
                Value v = value(key);
                endOfLine(key);
                if (current.entries().putIfAbsent(key, v) != null) {
                    throw error(at, key, "key defined twice");
                }
            }
        }
        return new Document(root, tables, arrays);
    }

    private String key() {
        if (pos >= text.length()) {
            throw error(line, "", "unexpected end of file (expected: a key)");
        }
        char c = text.charAt(pos);
        if (c == '"' || c == '\'') {
            return string("key");
        }
        int start = pos;
        while (pos < text.length() && isBare(text.charAt(pos))) {
            pos++;
        }
        if (start == pos) {
            throw error(line, "", "unexpected '" + printable(c) + "' (expected: a key)");
        }
        String k = text.substring(start, pos);
        if (pos < text.length() && text.charAt(pos) == '.') {
            throw error(line, k, "dotted keys are not supported (expected: a [table] header)");
        }
        return k;
    }

    private static boolean isBare(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-';
    }

    private Value value(String key) {
        int at = line;
        if (pos >= text.length()) {
            throw error(at, key, "missing value");
        }
        char c = text.charAt(pos);
        if (c == '"' || c == '\'') {
            return new Value(string(key), at);
        }
        if (c == '[') {
            pos++;
            List<Value> items = new ArrayList<>();
            while (true) {
                skipBlank();
                if (pos >= text.length()) {
                    throw error(at, key, "unterminated array (expected: ])");
                }
                if (text.charAt(pos) == ']') {
                    pos++;
                    return new Value(List.copyOf(items), at);
                }
                items.add(value(key));
                skipBlank();
                if (pos < text.length() && text.charAt(pos) == ',') {
                    pos++;
                } else if (pos >= text.length() || text.charAt(pos) != ']') {
                    throw error(line, key, "expected ',' or ']' in array");
                }
            }
        }
        if (c == '{') {
            throw error(at, key, "inline tables are not supported (expected: a [table] header)");
        }
        int start = pos;
        while (pos < text.length() && " \t\r\n,]#".indexOf(text.charAt(pos)) < 0) {
            pos++;
        }
        String word = text.substring(start, pos);
        if (word.equals("true") || word.equals("false")) {
            return new Value(Boolean.valueOf(word), at);
        }
        if (word.matches("[+-]?(0|[1-9](_?[0-9])*)")) {
            try {
                return new Value(Long.parseLong(word.replace("_", "")), at);
            } catch (NumberFormatException e) {
                throw error(at, key, "integer " + word + " out of range");
            }
        }
        throw error(at, key, "'" + word + "' is not a value (expected: a \"string\", an integer, true, false or [array])");
    }

    private String string(String key) {
        int at = line;
        char quote = text.charAt(pos++);
        if (text.startsWith("" + quote + quote, pos)) {
            throw error(at, key, "multi-line strings are not supported");
        }
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length() || text.charAt(pos) == '\n') {
                throw error(at, key, "unterminated string (expected: closing " + quote + ")");
            }
            char c = text.charAt(pos++);
            if (c == quote) {
                return sb.toString();
            }
            if (c == '\\' && quote == '"') {
                sb.append(escape(at, key));
            } else {
                sb.append(c);
            }
        }
    }

    private String escape(int at, String key) {
        if (pos >= text.length()) {
            throw error(at, key, "unterminated string");
        }
        char e = text.charAt(pos++);
        return switch (e) {
            case 'n' -> "\n";
            case 't' -> "\t";
            case 'r' -> "\r";
            case '"' -> "\"";
            case '\\' -> "\\";
            case 'u', 'U' -> {
                int n = e == 'u' ? 4 : 8;
                if (pos + n > text.length() || !text.substring(pos, pos + n).matches("[0-9A-Fa-f]+")) {
                    throw error(at, key, "bad \\" + e + " escape");
                }
                int cp = Integer.parseInt(text.substring(pos, pos + n), 16);
                pos += n;
                if (!Character.isValidCodePoint(cp)) {
                    throw error(at, key, "bad \\" + e + " escape");
                }
                yield Character.toString(cp);
            }
            default -> throw error(at, key, "bad escape \\" + printable(e));
        };
    }

    private void expect(String s, String key) {
        if (!text.startsWith(s, pos)) {
            String found = pos >= text.length() ? "end of file" : "'" + printable(text.charAt(pos)) + "'";
            throw error(line, key, "expected '" + s + "', found " + found);
        }
        pos += s.length();
    }

    private void endOfLine(String key) {
        skipSpaces();
        if (pos < text.length() && text.charAt(pos) == '#') {
            skipComment();
        }
        if (pos < text.length() && text.charAt(pos) != '\n' && !text.startsWith("\r\n", pos)) {
            throw error(line, key, "unexpected '" + printable(text.charAt(pos)) + "' after the value (expected: end of line)");
        }
    }

    private void skipSpaces() {
        while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
            pos++;
        }
    }

    /** Skips spaces, newlines and comments. */
    private void skipBlank() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\n') {
                line++;
                pos++;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                pos++;
            } else if (c == '#') {
                skipComment();
            } else {
                return;
            }
        }
    }

    private void skipComment() {
        while (pos < text.length() && text.charAt(pos) != '\n') {
            pos++;
        }
    }

    private static String printable(char c) {
        return c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }

    private ConfigException error(int at, String key, String message) {
        return new ConfigException(file, at, key.isEmpty() ? scope.replaceAll("\\.$", "") : scope + key, message);
    }
}
