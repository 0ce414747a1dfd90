package io.vine.security.tls;

import io.vine.core.crypto.PrivKey;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.function.UnaryOperator;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X962Parameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Builds certificates for tests, right or wrong in exactly one chosen way: the libp2p extension
 * left out, its signature made by another key or over another key, validity in the past or future,
 * a weak signature hash, an unknown critical extension, explicit curve parameters.
 */
final class CertificateForge {
    private final PrivKey identity;
    private KeyPair key = TlsCertificate.newCertificateKey();
    private Instant notBefore = Instant.now().minus(Duration.ofHours(1));
    private Instant notAfter = Instant.now().plus(Duration.ofDays(1));
    private String signatureAlgorithm = "SHA256withECDSA";
    private PrivKey extensionSigner;
    private byte[] signedSpki;
    private UnaryOperator<byte[]> extensionValue = UnaryOperator.identity();
    private boolean withExtension = true;
    private boolean explicitCurve;
    private final List<Object[]> extraExtensions = new ArrayList<>();

    private CertificateForge(PrivKey identity) {
        this.identity = identity;
        this.extensionSigner = identity;
    }

    static CertificateForge forIdentity(PrivKey identity) {
        return new CertificateForge(identity);
    }

    CertificateForge validity(Instant from, Instant to) {
        notBefore = from;
        notAfter = to;
        return this;
    }

    CertificateForge signatureAlgorithm(String name) {
        signatureAlgorithm = name;
        return this;
    }

    /** The extension's signature is made with {@code signer} rather than the identity key. */
    CertificateForge extensionSignedBy(PrivKey signer) {
        extensionSigner = signer;
        return this;
    }

    /** The extension's signature covers {@code spki} rather than this certificate's key. */
    CertificateForge extensionSignsSpki(byte[] spki) {
        signedSpki = spki;
        return this;
    }

    /** Rewrites the DER of the SignedKey before it goes into the certificate. */
    CertificateForge extensionValue(UnaryOperator<byte[]> rewrite) {
        extensionValue = rewrite;
        return this;
    }

    CertificateForge withoutExtension() {
        withExtension = false;
        return this;
    }

    CertificateForge extraExtension(String oid, boolean critical, byte[] value) {
        extraExtensions.add(new Object[] {oid, critical, value});
        return this;
    }

    CertificateForge explicitCurveParameters() {
        explicitCurve = true;
        return this;
    }

    TlsCertificate.Issued issue() {
        return new TlsCertificate.Issued(build(), key.getPrivate());
    }

    X509Certificate build() {
        try {
            SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(key.getPublic().getEncoded());
            if (explicitCurve) {
                AlgorithmIdentifier explicit = new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey,
                        new X962Parameters(ECNamedCurveTable.getByName("P-256")));
                spki = new SubjectPublicKeyInfo(explicit, spki.getPublicKeyData().getBytes());
            }
            X500Name name = new X500Name("CN=forged");
            X509v3CertificateBuilder b = new X509v3CertificateBuilder(name, BigInteger.valueOf(System.nanoTime() & 0xffffffL),
                    Date.from(notBefore), Date.from(notAfter), name, spki);
            for (Object[] e : extraExtensions) {
                b.addExtension(new ASN1ObjectIdentifier((String) e[0]), (Boolean) e[1], new DEROctetString((byte[]) e[2]));
            }
            if (withExtension) {
                byte[] signed = signedSpki != null ? signedSpki : key.getPublic().getEncoded();
                byte[] signature = extensionSigner.sign(TlsCertificate.signedData(signed));
                byte[] value = TlsCertificate.signedKey(identity.publicKey().marshal(), signature);
                b.addExtension(TlsCertificate.EXTENSION_OID, true, extensionValue.apply(value));
            }
            byte[] der = b.build(new JcaContentSignerBuilder(signatureAlgorithm).build(key.getPrivate())).getEncoded();
            return TlsCertificate.parse(der);
        } catch (Exception e) {
            throw new IllegalStateException("cannot forge the certificate: " + e, e);
        }
    }
}
