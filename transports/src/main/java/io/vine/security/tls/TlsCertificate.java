package io.vine.security.tls;

import static java.nio.charset.StandardCharsets.US_ASCII;

import io.vine.core.crypto.PrivKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The self-signed certificate a peer presents in the TLS handshake: a fresh ECDSA P-256 key signs
 * it, and the libp2p Public Key Extension binds that key to the peer's identity key
 * ({@code SignedKey}: the protobuf public key, and its signature over {@value #SIGNATURE_PREFIX_TEXT}
 * followed by the certificate's SubjectPublicKeyInfo).
 */
final class TlsCertificate {
    /** The libp2p Public Key Extension, allocated by IANA to libp2p. */
    static final ASN1ObjectIdentifier EXTENSION_OID = new ASN1ObjectIdentifier("1.3.6.1.4.1.53594.1.1");

    static final String SIGNATURE_PREFIX_TEXT = "libp2p-tls-handshake:";

    /** Valid from a little in the past, so peers with a slow clock accept it. */
    static final Duration BACKDATE = Duration.ofHours(1);

    /** The key is used for one connection; a long lifetime only avoids trouble with clock skew. */
    static final Duration LIFETIME = Duration.ofDays(100L * 365);

    private static final byte[] SIGNATURE_PREFIX = SIGNATURE_PREFIX_TEXT.getBytes(US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private TlsCertificate() {}

    /**
     * What one side presents: its certificate chain (one certificate; tests send more) and the
     * private key of the first certificate.
     */
    record Issued(List<X509Certificate> chain, PrivateKey privateKey) {
        Issued {
            chain = List.copyOf(chain);
        }

        Issued(X509Certificate certificate, PrivateKey privateKey) {
            this(List.of(certificate), privateKey);
        }

        X509Certificate certificate() {
            return chain.get(0);
        }
    }

    /** A new certificate, with a new key, for {@code identity}. */
    static Issued issue(PrivKey identity) {
        Instant now = Instant.now();
        return issue(identity, newCertificateKey(), now.minus(BACKDATE), now.plus(LIFETIME));
    }

    /** A certificate for {@code identity} with the given key and validity. */
    static Issued issue(PrivKey identity, KeyPair certificateKey, Instant notBefore, Instant notAfter) {
        byte[] spki = certificateKey.getPublic().getEncoded(); // X.509 SubjectPublicKeyInfo, DER
        byte[] extension = signedKey(identity.publicKey().marshal(), identity.sign(signedData(spki)));
        try {
            BigInteger serial = new BigInteger(63, RANDOM).setBit(62); // positive, 8 bytes
            X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.SERIALNUMBER, serial.toString()).build();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    name, serial, Date.from(notBefore), Date.from(notAfter), name, certificateKey.getPublic());
            // The only extension; critical as js-libp2p and go-libp2p mark it (js-libp2p reads the first one).
            builder.addExtension(EXTENSION_OID, true, extension);
            byte[] der = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(certificateKey.getPrivate()))
                    .getEncoded();
            return new Issued(parse(der), certificateKey.getPrivate());
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("tls: cannot create the certificate: " + e, e);
        }
    }

    /** A new ECDSA key pair on P-256. */
    static KeyPair newCertificateKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("tls: ECDSA P-256 is not available: " + e, e);
        }
    }

    /** The DER of {@code SignedKey ::= SEQUENCE { publicKey OCTET STRING, signature OCTET STRING }}. */
    static byte[] signedKey(byte[] publicKeyProtobuf, byte[] signature) {
        ASN1EncodableVector v = new ASN1EncodableVector(2);
        v.add(new DEROctetString(publicKeyProtobuf));
        v.add(new DEROctetString(signature));
        try {
            return new DERSequence(v).getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException(e); // in-memory encoding does not fail
        }
    }

    /** What the identity key signs: the prefix followed by the certificate's SubjectPublicKeyInfo. */
    static byte[] signedData(byte[] subjectPublicKeyInfo) {
        byte[] data = new byte[SIGNATURE_PREFIX.length + subjectPublicKeyInfo.length];
        System.arraycopy(SIGNATURE_PREFIX, 0, data, 0, SIGNATURE_PREFIX.length);
        System.arraycopy(subjectPublicKeyInfo, 0, data, SIGNATURE_PREFIX.length, subjectPublicKeyInfo.length);
        return data;
    }

    static X509Certificate parse(byte[] der) throws GeneralSecurityException {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }
}
