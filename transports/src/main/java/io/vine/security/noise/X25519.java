package io.vine.security.noise;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import javax.crypto.KeyAgreement;

/**
 * The 25519 DH functions of the Noise spec (section 12.1) on the JDK's XDH provider. Public keys on
 * the wire are the 32-byte little-endian u-coordinates of RFC 7748, section 5.
 */
final class X25519 {
    static final int KEY_LENGTH = 32;

    private static final byte[] BASE_POINT = new byte[KEY_LENGTH];

    static {
        BASE_POINT[0] = 9;
    }

    private X25519() {}

    /** A key pair: the JDK private key and the raw public key. */
    record KeyPair(PrivateKey privateKey, byte[] publicKey) {}

    /** GENERATE_KEYPAIR(): a fresh random key pair. */
    static KeyPair generate() {
        try {
            java.security.KeyPair kp = KeyPairGenerator.getInstance("X25519").generateKeyPair();
            return new KeyPair(kp.getPrivate(), encodeU(((XECPublicKey) kp.getPublic()).getU()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519 is not available in this JDK", e);
        }
    }

    /** The key pair of a 32-byte private scalar (as in the Noise test vectors). */
    static KeyPair fromPrivate(byte[] scalar) {
        if (scalar.length != KEY_LENGTH) {
            throw new IllegalArgumentException("scalar: " + scalar.length + " bytes (expected: 32)");
        }
        try {
            PrivateKey priv = KeyFactory.getInstance("XDH")
                    .generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar.clone()));
            return new KeyPair(priv, dh(priv, BASE_POINT));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519 is not available in this JDK", e);
        }
    }

    /**
     * DH(key, publicKey): the 32-byte shared secret.
     *
     * @throws GeneralSecurityException if the remote key is malformed or of small order (all-zero
     *     result)
     */
    static byte[] dh(PrivateKey privateKey, byte[] remotePublic) throws GeneralSecurityException {
        if (remotePublic.length != KEY_LENGTH) {
            throw new GeneralSecurityException("X25519 public key: " + remotePublic.length + " bytes (expected: 32)");
        }
        KeyAgreement ka = KeyAgreement.getInstance("XDH");
        ka.init(privateKey);
        ka.doPhase(decodePublic(remotePublic), true);
        byte[] secret = ka.generateSecret();
        int acc = 0;
        for (byte b : secret) {
            acc |= b;
        }
        if (acc == 0) {
            throw new GeneralSecurityException("X25519 public key has small order");
        }
        return secret;
    }

    private static PublicKey decodePublic(byte[] raw) throws GeneralSecurityException {
        byte[] be = new byte[KEY_LENGTH];
        for (int i = 0; i < KEY_LENGTH; i++) {
            be[i] = raw[KEY_LENGTH - 1 - i];
        }
        be[0] &= 0x7f; // RFC 7748, section 5: mask the most significant bit
        BigInteger u = new BigInteger(1, be);
        return KeyFactory.getInstance("XDH").generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, u));
    }

    private static byte[] encodeU(BigInteger u) {
        byte[] be = u.toByteArray(); // big-endian, may carry a sign byte or be shorter than 32
        byte[] le = new byte[KEY_LENGTH];
        for (int i = 0; i < KEY_LENGTH && i < be.length; i++) {
            le[i] = be[be.length - 1 - i];
        }
        return le;
    }
}
