package io.vine.security.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HexFormat;
import java.util.Properties;

/** The RFC 8439 test vectors in {@code rfc8439-vectors.properties}. */
final class Rfc8439Vectors {
    static final int POLY1305_COUNT = 12;
    static final int AEAD_COUNT = 2;
    private static final Properties VECTORS = load();

    private Rfc8439Vectors() {}

    static byte[] get(String name) {
        String hex = VECTORS.getProperty(name);
        if (hex == null) {
            throw new IllegalArgumentException("no test vector " + name);
        }
        return HexFormat.of().parseHex(hex);
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = Rfc8439Vectors.class.getResourceAsStream("rfc8439-vectors.properties")) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
