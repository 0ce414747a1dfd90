package io.vine.core.crypto;

import java.io.IOException;
import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;

/**
 * secp256k1 keys as Bitcoin encodes them, on BouncyCastle: public keys are SEC1 points (33 bytes
 * compressed on output; the 65-byte uncompressed form is accepted), private keys are the 32-byte
 * scalar. Signatures are ECDSA over SHA-256 of the data, deterministic (RFC 6979), with low S,
 * DER-encoded; verification accepts high S as well.
 */
final class Secp256k1 {
    static final int PRIVATE_KEY_BYTES = 32;
    /** A DER signature of two 33-byte integers is 72 bytes. */
    static final int MAX_SIGNATURE_BYTES = 72;

    private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
    private static final ECDomainParameters DOMAIN =
            new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH());
    private static final BigInteger HALF_N = CURVE.getN().shiftRight(1);

    private Secp256k1() {}

    static PrivKey generate() {
        BigInteger d = BigIntegers.createRandomInRange(BigInteger.ONE, CURVE.getN().subtract(BigInteger.ONE),
                JdkCrypto.RANDOM);
        return new Priv(d);
    }

    static PubKey publicKey(byte[] data) {
        if (data.length != 33 && data.length != 65) {
            throw new KeyFormatException("secp256k1 public key: " + data.length + " bytes (expected: 33 or 65)");
        }
        ECPoint q;
        try {
            q = CURVE.getCurve().decodePoint(data).normalize();
        } catch (IllegalArgumentException e) {
            throw new KeyFormatException("secp256k1 public key: " + e.getMessage(), e);
        }
        if (q.isInfinity() || !q.isValid()) {
            throw new KeyFormatException("secp256k1 public key: not a point of the curve");
        }
        return new Pub(q);
    }

    static PrivKey privateKey(byte[] data) {
        if (data.length != PRIVATE_KEY_BYTES) {
            throw new KeyFormatException("secp256k1 private key: " + data.length + " bytes (expected: 32)");
        }
        BigInteger d = new BigInteger(1, data);
        if (d.signum() == 0 || d.compareTo(CURVE.getN()) >= 0) {
            throw new KeyFormatException("secp256k1 private key: scalar out of range");
        }
        return new Priv(d);
    }

    static final class Pub extends BasePubKey {
        private final ECPublicKeyParameters params;

        Pub(ECPoint q) {
            super(KeyType.SECP256K1, q.getEncoded(true));
            this.params = new ECPublicKeyParameters(q, DOMAIN);
        }

        @Override
        boolean verifySignature(byte[] data, byte[] signature) {
            if (signature.length > MAX_SIGNATURE_BYTES) {
                return false;
            }
            BigInteger r;
            BigInteger s;
            try {
                ASN1Sequence seq = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(signature));
                if (seq.size() != 2 || !Arrays.equals(seq.getEncoded(ASN1Encoding.DER), signature)) {
                    return false;
                }
                r = ASN1Integer.getInstance(seq.getObjectAt(0)).getValue();
                s = ASN1Integer.getInstance(seq.getObjectAt(1)).getValue();
            } catch (IOException | RuntimeException e) {
                return false;
            }
            ECDSASigner verifier = new ECDSASigner();
            verifier.init(false, params);
            return verifier.verifySignature(JdkCrypto.sha256(data), r, s);
        }
    }

    static final class Priv extends BasePrivKey {
        private final ECPrivateKeyParameters params;
        private final Pub publicKey;

        Priv(BigInteger d) {
            this.params = new ECPrivateKeyParameters(d, DOMAIN);
            this.publicKey = new Pub(CURVE.getG().multiply(d).normalize());
        }

        @Override
        public KeyType type() {
            return KeyType.SECP256K1;
        }

        @Override
        public PubKey publicKey() {
            return publicKey;
        }

        @Override
        byte[] signData(byte[] data) {
            ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
            signer.init(true, params);
            BigInteger[] rs = signer.generateSignature(JdkCrypto.sha256(data));
            BigInteger s = rs[1].compareTo(HALF_N) > 0 ? CURVE.getN().subtract(rs[1]) : rs[1];
            try {
                return new DERSequence(new ASN1Integer[] {new ASN1Integer(rs[0]), new ASN1Integer(s)})
                        .getEncoded(ASN1Encoding.DER);
            } catch (IOException e) {
                throw new IllegalStateException("DER encoding failed", e);
            }
        }

        @Override
        byte[] encode() {
            return BigIntegers.asUnsignedByteArray(PRIVATE_KEY_BYTES, params.getD());
        }
    }
}
