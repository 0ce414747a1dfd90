package io.vine.security.crypto;

/**
 * The libcrypto backend as seen by a Java 21 runtime: always unavailable, because it needs the
 * Foreign Function &amp; Memory API of Java 22. On Java 22 and newer the multi-release jar supplies
 * the real class of this name (source in {@code src/main/java22}).
 */
final class Libcrypto {
    private Libcrypto() {}

    /** Null when the backend is usable, else why not. */
    static String unavailableReason() {
        return Runtime.version().feature() < 22
                ? "needs Java 22 or newer (the Foreign Function & Memory API), running on Java " + Runtime.version().feature()
                : "the class path has only the Java 21 classes of vine-transports (not the multi-release jar's Java 22 layer)";
    }

    static ChaCha20Poly1305 create(byte[] key) {
        throw new IllegalStateException("libcrypto ChaCha20-Poly1305 is unavailable: " + unavailableReason());
    }

    static long liveContexts() {
        return 0;
    }
}
