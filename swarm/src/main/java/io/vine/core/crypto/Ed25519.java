package io.vine.core.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/**
 * Ed25519 keys (RFC 8032) on the JDK's "Ed25519" provider. Public keys are the raw 32 bytes; private
 * keys are written as seed || public key (64 bytes) and read from 32, 64 or the legacy 96 bytes.
 */
final class Ed25519 {
    static final int KEY_BYTES = 32;
    static final int SIGNATURE_BYTES = 64;

    /** DER SubjectPublicKeyInfo header of an Ed25519 key (RFC 8410); the raw key follows it. */
    private static final byte[] SPKI_PREFIX = {
        0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
    };

    private static final ThreadLocal<Signature> SIGNATURE = JdkCrypto.signature("Ed25519");
    private static final ThreadLocal<KeyFactory> FACTORY = JdkCrypto.keyFactory("Ed25519");

    private Ed25519() {}

    static PrivKey generate() {
        byte[] seed = new byte[KEY_BYTES];
        JdkCrypto.RANDOM.nextBytes(seed);
        return fromSeed(seed);
    }

    static PrivKey fromSeed(byte[] seed) {
        if (seed.length != KEY_BYTES) {
            throw new KeyFormatException("ed25519 seed: " + seed.length + " bytes (expected: 32)");
        }
        byte[] pub = new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded();
        return new Priv(seed.clone(), new Pub(pub));
    }

    static PubKey publicKey(byte[] data) {
        if (data.length != KEY_BYTES) {
            throw new KeyFormatException("ed25519 public key: " + data.length + " bytes (expected: 32)");
        }
        return new Pub(data.clone());
    }

    static PrivKey privateKey(byte[] data) {
        if (data.length != KEY_BYTES && data.length != 2 * KEY_BYTES && data.length != 3 * KEY_BYTES) {
            throw new KeyFormatException(
                    "ed25519 private key: " + data.length + " bytes (expected: 32, 64 or 96)");
        }
        if (data.length == 3 * KEY_BYTES
                && !Arrays.equals(data, 32, 64, data, 64, 96)) {
            throw new KeyFormatException("ed25519 private key: the two public keys of the 96-byte form differ");
        }
        PrivKey key = fromSeed(Arrays.copyOf(data, KEY_BYTES));
        if (data.length > KEY_BYTES
                && !Arrays.equals(((Pub) key.publicKey()).rawUnsafe(), 0, 32, data, 32, 64)) {
            throw new KeyFormatException("ed25519 private key: the public key does not match the seed");
        }
        return key;
    }

    static final class Pub extends BasePubKey {
        private volatile PublicKey jdkKey;

        Pub(byte[] raw) {
            super(KeyType.ED25519, raw);
        }

        private PublicKey jdkKey() throws GeneralSecurityException {
            PublicKey k = jdkKey;
            if (k == null) {
                byte[] spki = Arrays.copyOf(SPKI_PREFIX, SPKI_PREFIX.length + KEY_BYTES);
                System.arraycopy(rawUnsafe(), 0, spki, SPKI_PREFIX.length, KEY_BYTES);
                k = FACTORY.get().generatePublic(new X509EncodedKeySpec(spki));
                jdkKey = k;
            }
            return k;
        }

        @Override
        public boolean verify(byte[] data, byte[] signature) {
            if (signature.length != SIGNATURE_BYTES) {
                return false;
            }
            try {
                Signature s = SIGNATURE.get();
                s.initVerify(jdkKey());
                s.update(data);
                return s.verify(signature);
            } catch (GeneralSecurityException | RuntimeException e) {
                return false;
            }
        }
    }

    static final class Priv extends BasePrivKey {
        private final byte[] seed;
        private final Pub publicKey;
        private final PrivateKey jdkKey;

        Priv(byte[] seed, Pub publicKey) {
            this.seed = seed;
            this.publicKey = publicKey;
            try {
                this.jdkKey = FACTORY.get()
                        .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed));
            } catch (GeneralSecurityException e) {
                throw new KeyFormatException("ed25519 private key: " + e.getMessage(), e);
            }
        }

        @Override
        public KeyType type() {
            return KeyType.ED25519;
        }

        @Override
        public PubKey publicKey() {
            return publicKey;
        }

        @Override
        public byte[] sign(byte[] data) {
            try {
                Signature s = SIGNATURE.get();
                s.initSign(jdkKey);
                s.update(data);
                return s.sign();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("ed25519 signing failed", e);
            }
        }

        @Override
        byte[] encode() {
            byte[] out = Arrays.copyOf(seed, 2 * KEY_BYTES);
            System.arraycopy(publicKey.rawUnsafe(), 0, out, KEY_BYTES, KEY_BYTES);
            return out;
        }
    }
}
