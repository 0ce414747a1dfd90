package io.vine.core.crypto;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;

/**
 * RSA keys on the JDK: public keys are DER PKIX SubjectPublicKeyInfo, private keys DER PKCS#1
 * {@code RSAPrivateKey}; signatures are RSASSA-PKCS1-v1_5 with SHA-256. Moduli from 2048 to 8192
 * bits are accepted (go-libp2p refuses smaller keys; larger ones would make verification a cheap
 * denial of service).
 */
final class Rsa {
    static final int MIN_BITS = 2048;
    static final int MAX_BITS = 8192;
    static final int GENERATED_BITS = 2048;

    private static final ThreadLocal<Signature> SIGNATURE = JdkCrypto.signature("SHA256withRSA");
    private static final ThreadLocal<KeyFactory> FACTORY = JdkCrypto.keyFactory("RSA");

    private Rsa() {}

    static PrivKey generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(new RSAKeyGenParameterSpec(GENERATED_BITS, RSAKeyGenParameterSpec.F4), JdkCrypto.RANDOM);
            var pair = g.generateKeyPair();
            return new Priv((RSAPrivateCrtKey) pair.getPrivate(), new Pub((RSAPublicKey) pair.getPublic()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("rsa key generation failed", e);
        }
    }

    private static void checkModulus(BigInteger n, String what) {
        int bits = n.bitLength();
        if (bits < MIN_BITS || bits > MAX_BITS) {
            throw new KeyFormatException(
                    what + ": " + bits + "-bit modulus (expected: " + MIN_BITS + ".." + MAX_BITS + ")");
        }
    }

    static PubKey publicKey(byte[] data) {
        PublicKey k;
        try {
            k = FACTORY.get().generatePublic(new X509EncodedKeySpec(data));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new KeyFormatException("rsa public key: " + e.getMessage(), e);
        }
        if (!(k instanceof RSAPublicKey rsa)) {
            throw new KeyFormatException("rsa public key: not an RSA key");
        }
        checkModulus(rsa.getModulus(), "rsa public key");
        return new Pub(rsa);
    }

    static PrivKey privateKey(byte[] data) {
        RSAPrivateKey pkcs1;
        try {
            pkcs1 = RSAPrivateKey.getInstance(ASN1Primitive.fromByteArray(data));
        } catch (IOException | RuntimeException e) {
            throw new KeyFormatException("rsa private key: not a DER PKCS#1 RSAPrivateKey: " + e.getMessage(), e);
        }
        checkModulus(pkcs1.getModulus(), "rsa private key");
        try {
            KeyFactory f = FACTORY.get();
            RSAPrivateCrtKey priv = (RSAPrivateCrtKey) f.generatePrivate(new RSAPrivateCrtKeySpec(
                    pkcs1.getModulus(), pkcs1.getPublicExponent(), pkcs1.getPrivateExponent(),
                    pkcs1.getPrime1(), pkcs1.getPrime2(), pkcs1.getExponent1(), pkcs1.getExponent2(),
                    pkcs1.getCoefficient()));
            RSAPublicKey pub = (RSAPublicKey) f.generatePublic(
                    new RSAPublicKeySpec(pkcs1.getModulus(), pkcs1.getPublicExponent()));
            return new Priv(priv, new Pub(pub));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new KeyFormatException("rsa private key: " + e.getMessage(), e);
        }
    }

    static final class Pub extends BasePubKey {
        private final RSAPublicKey jdkKey;

        Pub(RSAPublicKey jdkKey) {
            super(KeyType.RSA, jdkKey.getEncoded());
            this.jdkKey = jdkKey;
        }

        @Override
        boolean verifySignature(byte[] data, byte[] signature) {
            if (signature.length != (jdkKey.getModulus().bitLength() + 7) / 8) {
                return false;
            }
            return JdkCrypto.verify(SIGNATURE, jdkKey, data, signature);
        }
    }

    static final class Priv extends BasePrivKey {
        private final RSAPrivateCrtKey jdkKey;
        private final Pub publicKey;

        Priv(RSAPrivateCrtKey jdkKey, Pub publicKey) {
            this.jdkKey = jdkKey;
            this.publicKey = publicKey;
        }

        @Override
        public KeyType type() {
            return KeyType.RSA;
        }

        @Override
        public PubKey publicKey() {
            return publicKey;
        }

        @Override
        byte[] signData(byte[] data) {
            return JdkCrypto.sign(SIGNATURE, jdkKey, data, "rsa");
        }

        @Override
        byte[] encode() {
            try {
                return new RSAPrivateKey(jdkKey.getModulus(), jdkKey.getPublicExponent(),
                        jdkKey.getPrivateExponent(), jdkKey.getPrimeP(), jdkKey.getPrimeQ(),
                        jdkKey.getPrimeExponentP(), jdkKey.getPrimeExponentQ(), jdkKey.getCrtCoefficient())
                        .getEncoded(ASN1Encoding.DER);
            } catch (IOException e) {
                throw new IllegalStateException("DER encoding failed", e);
            }
        }
    }
}
