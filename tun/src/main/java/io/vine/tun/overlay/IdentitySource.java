package io.vine.tun.overlay;

import static java.util.Objects.requireNonNull;

import io.vine.core.crypto.Keys;
import io.vine.core.crypto.PrivKey;
import io.vine.core.peer.IdentityFile;
import java.nio.file.Path;

/** Where a node's key comes from: a new one, a key file, a 32-byte seed, or a key in hand. */
public sealed interface IdentitySource {

    /** The key; a {@link Generated} source makes a new one on each call. */
    PrivKey load();

    /** A new Ed25519 key. */
    static IdentitySource generated() {
        return new Generated();
    }

    /** The key in {@code path}, created (readable only by its owner) if the file does not exist. */
    static IdentitySource file(Path path) {
        return new FromFile(path);
    }

    /** An Ed25519 key derived from a 32-byte seed (the same seed gives the same peer id). */
    static IdentitySource seed(byte[] seed) {
        return new FromSeed(seed);
    }

    /** A key the caller already holds. */
    static IdentitySource key(PrivKey key) {
        return new Given(key);
    }

    record Generated() implements IdentitySource {
        @Override
        public PrivKey load() {
            return Keys.generateEd25519();
        }
    }

    record FromFile(Path path) implements IdentitySource {
        public FromFile {
            requireNonNull(path, "path");
        }

        @Override
        public PrivKey load() {
            return IdentityFile.loadOrCreate(path);
        }
    }

    record FromSeed(byte[] seed) implements IdentitySource {
        public FromSeed {
            requireNonNull(seed, "seed");
            if (seed.length != 32) {
                throw new IllegalArgumentException("identity seed: " + seed.length + " bytes (expected: 32)");
            }
            seed = seed.clone();
        }

        @Override
        public PrivKey load() {
            return Keys.ed25519FromSeed(seed.clone());
        }

        @Override
        public String toString() {
            return "FromSeed[<32 bytes>]";
        }
    }

    record Given(PrivKey key) implements IdentitySource {
        public Given {
            requireNonNull(key, "key");
        }

        @Override
        public PrivKey load() {
            return key;
        }

        @Override
        public String toString() {
            return "Given[" + key.publicKey() + "]";
        }
    }
}
