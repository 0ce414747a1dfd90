package io.vine.core.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;

/**
 * Per-thread caches of JDK crypto engines. {@code Signature}, {@code KeyFactory} and
 * {@code MessageDigest} are not thread-safe and their provider look-up is not free; handshakes sign
 * and verify on every connection, so each thread keeps its own instances.
 */
final class JdkCrypto {
    static final SecureRandom RANDOM = new SecureRandom();

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    });

    private JdkCrypto() {}

    static ThreadLocal<Signature> signature(String algorithm) {
        return ThreadLocal.withInitial(() -> {
            try {
                return Signature.getInstance(algorithm);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK lacks signature algorithm " + algorithm, e);
            }
        });
    }

    static ThreadLocal<KeyFactory> keyFactory(String algorithm) {
        return ThreadLocal.withInitial(() -> {
            try {
                return KeyFactory.getInstance(algorithm);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK lacks key factory " + algorithm, e);
            }
        });
    }

    static byte[] sha256(byte[] data) {
        MessageDigest md = SHA256.get();
        md.reset();
        return md.digest(data);
    }

    /** Verifies with a per-thread JDK signature; any failure, malformed signature included, is false. */
    static boolean verify(ThreadLocal<Signature> signature, java.security.PublicKey key, byte[] data, byte[] sig) {
        try {
            Signature s = signature.get();
            s.initVerify(key);
            s.update(data);
            return s.verify(sig);
        } catch (java.security.GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** Signs with a per-thread JDK signature. */
    static byte[] sign(ThreadLocal<Signature> signature, java.security.PrivateKey key, byte[] data, String what) {
        try {
            Signature s = signature.get();
            s.initSign(key, RANDOM);
            s.update(data);
            return s.sign();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(what + " signing failed", e);
        }
    }
}
