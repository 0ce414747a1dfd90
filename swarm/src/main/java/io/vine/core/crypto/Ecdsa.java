package io.vine.core.crypto;

import java.io.IOException;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECPoint;

/**
 * ECDSA keys on the NIST curves P-256 (generated), P-384 and P-521 (accepted), on the JDK. Public
 * keys are DER SubjectPublicKeyInfo; private keys are DER SEC1 {@code ECPrivateKey} (RFC 5915), as
 * go-libp2p writes them and the spec's test vector holds. Signatures are DER ECDSA over SHA-256.
 */
final class Ecdsa {
    /** A DER signature on P-521 (two 66-byte integers) is at most 141 bytes. */
    static final int MAX_SIGNATURE_BYTES = 144;

    private record Curve(String name, ASN1ObjectIdentifier oid, ECParameterSpec spec) {}

    private static final Map<String, Curve> BY_OID;
    private static final ThreadLocal<Signature> SIGNATURE = JdkCrypto.signature("SHA256withECDSA");
    private static final ThreadLocal<KeyFactory> FACTORY = JdkCrypto.keyFactory("EC");

    static {
        Curve p256 = curve("secp256r1", "1.2.840.10045.3.1.7");
        Curve p384 = curve("secp384r1", "1.3.132.0.34");
        Curve p521 = curve("secp521r1", "1.3.132.0.35");
        BY_OID = Map.of(p256.oid.getId(), p256, p384.oid.getId(), p384, p521.oid.getId(), p521);
    }

    private static Curve curve(String name, String oid) {
        try {
            AlgorithmParameters ap = AlgorithmParameters.getInstance("EC");
            ap.init(new ECGenParameterSpec(name));
            return new Curve(name, new ASN1ObjectIdentifier(oid), ap.getParameterSpec(ECParameterSpec.class));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks curve " + name, e);
        }
    }

    private static Curve curveOf(ECParameterSpec spec) {
        for (Curve c : BY_OID.values()) {
            if (c.spec.getOrder().equals(spec.getOrder()) && c.spec.getCurve().equals(spec.getCurve())) {
                return c;
            }
        }
        throw new KeyFormatException("ecdsa key: unsupported curve (expected: P-256, P-384 or P-521)");
    }

    private Ecdsa() {}

    static PrivKey generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), JdkCrypto.RANDOM);
            var pair = g.generateKeyPair();
            return new Priv((ECPrivateKey) pair.getPrivate(), new Pub((ECPublicKey) pair.getPublic()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ecdsa key generation failed", e);
        }
    }

    static PubKey publicKey(byte[] data) {
        PublicKey k;
        try {
            k = FACTORY.get().generatePublic(new X509EncodedKeySpec(data));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new KeyFormatException("ecdsa public key: " + e.getMessage(), e);
        }
        if (!(k instanceof ECPublicKey ec)) {
            throw new KeyFormatException("ecdsa public key: not an EC key");
        }
        curveOf(ec.getParams());
        return new Pub(ec);
    }

    static PrivKey privateKey(byte[] data) {
        org.bouncycastle.asn1.sec.ECPrivateKey sec1;
        try {
            sec1 = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(ASN1Primitive.fromByteArray(data));
        } catch (IOException | RuntimeException e) {
            throw new KeyFormatException("ecdsa private key: not a DER SEC1 ECPrivateKey: " + e.getMessage(), e);
        }
        if (!(sec1.getParametersObject() instanceof ASN1ObjectIdentifier oid) || !BY_OID.containsKey(oid.getId())) {
            throw new KeyFormatException("ecdsa private key: missing or unsupported named curve"
                    + " (expected: P-256, P-384 or P-521)");
        }
        Curve c = BY_OID.get(oid.getId());
        BigInteger d = sec1.getKey();
        if (d.signum() <= 0 || d.compareTo(c.spec.getOrder()) >= 0) {
            throw new KeyFormatException("ecdsa private key: scalar out of range");
        }
        X9ECParameters bc = CustomNamedCurves.getByName(c.name);
        ECPoint q = bc.getG().multiply(d).normalize();
        try {
            KeyFactory f = FACTORY.get();
            ECPrivateKey priv = (ECPrivateKey) f.generatePrivate(new ECPrivateKeySpec(d, c.spec));
            ECPublicKey pub = (ECPublicKey) f.generatePublic(new ECPublicKeySpec(
                    new java.security.spec.ECPoint(q.getAffineXCoord().toBigInteger(),
                            q.getAffineYCoord().toBigInteger()), c.spec));
            return new Priv(priv, new Pub(pub));
        } catch (GeneralSecurityException e) {
            throw new KeyFormatException("ecdsa private key: " + e.getMessage(), e);
        }
    }

    static final class Pub extends BasePubKey {
        private final ECPublicKey jdkKey;

        Pub(ECPublicKey jdkKey) {
            super(KeyType.ECDSA, jdkKey.getEncoded());
            this.jdkKey = jdkKey;
        }

        @Override
        boolean verifySignature(byte[] data, byte[] signature) {
            if (signature.length > MAX_SIGNATURE_BYTES) {
                return false;
            }
            return JdkCrypto.verify(SIGNATURE, jdkKey, data, signature);
        }
    }

    static final class Priv extends BasePrivKey {
        private final ECPrivateKey jdkKey;
        private final Pub publicKey;

        Priv(ECPrivateKey jdkKey, Pub publicKey) {
            this.jdkKey = jdkKey;
            this.publicKey = publicKey;
        }

        @Override
        public KeyType type() {
            return KeyType.ECDSA;
        }

        @Override
        public PubKey publicKey() {
            return publicKey;
        }

        @Override
        byte[] signData(byte[] data) {
            return JdkCrypto.sign(SIGNATURE, jdkKey, data, "ecdsa");
        }

        @Override
        byte[] encode() {
            Curve c = curveOf(jdkKey.getParams());
            int orderBits = c.spec.getOrder().bitLength();
            java.security.spec.ECPoint w = publicKey.jdkKey.getW();
            int size = (c.spec.getCurve().getField().getFieldSize() + 7) / 8;
            byte[] point = new byte[1 + 2 * size];
            point[0] = 4;
            copyUnsigned(w.getAffineX(), point, 1, size);
            copyUnsigned(w.getAffineY(), point, 1 + size, size);
            try {
                return new org.bouncycastle.asn1.sec.ECPrivateKey(orderBits, jdkKey.getS(),
                        new DERBitString(point), c.oid).getEncoded(ASN1Encoding.DER);
            } catch (IOException e) {
                throw new IllegalStateException("DER encoding failed", e);
            }
        }

        private static void copyUnsigned(BigInteger v, byte[] out, int off, int size) {
            byte[] b = org.bouncycastle.util.BigIntegers.asUnsignedByteArray(size, v);
            System.arraycopy(b, 0, out, off, size);
        }
    }
}
