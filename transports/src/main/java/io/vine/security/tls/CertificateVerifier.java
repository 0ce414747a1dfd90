package io.vine.security.tls;

import io.vine.core.HandshakeException;
import io.vine.core.crypto.Keys;
import io.vine.core.crypto.PubKey;
import io.vine.core.peer.PeerId;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * Checks the certificate chain a peer presented, as the libp2p TLS spec requires: exactly one
 * certificate, currently valid, self-signed with a hash of at least 256 bits, elliptic curve keys
 * named, no critical extension we do not understand, and the libp2p Public Key Extension whose
 * signature the identity key made over the certificate's SubjectPublicKeyInfo.
 */
final class CertificateVerifier {
    /** The remote identity a valid certificate proves. */
    record Verified(PubKey key, PeerId peerId) {}

    private static final ASN1ObjectIdentifier ED25519 = new ASN1ObjectIdentifier("1.3.101.112"); // RFC 8410
    private static final ASN1ObjectIdentifier ED448 = new ASN1ObjectIdentifier("1.3.101.113");

    private static final Set<ASN1ObjectIdentifier> SIGNATURE_ALGORITHMS = Set.of(
            X9ObjectIdentifiers.ecdsa_with_SHA256, X9ObjectIdentifiers.ecdsa_with_SHA384,
            X9ObjectIdentifiers.ecdsa_with_SHA512, ED25519, ED448,
            PKCSObjectIdentifiers.sha256WithRSAEncryption, PKCSObjectIdentifiers.sha384WithRSAEncryption,
            PKCSObjectIdentifiers.sha512WithRSAEncryption, PKCSObjectIdentifiers.id_RSASSA_PSS);

    private static final Set<ASN1ObjectIdentifier> PSS_HASHES =
            Set.of(NISTObjectIdentifiers.id_sha256, NISTObjectIdentifiers.id_sha384, NISTObjectIdentifiers.id_sha512);

    /** Critical extensions we understand: ours, and the standard ones that constrain the key's use. */
    private static final Set<ASN1ObjectIdentifier> UNDERSTOOD_CRITICAL = Set.of(TlsCertificate.EXTENSION_OID,
            Extension.basicConstraints, Extension.keyUsage, Extension.extendedKeyUsage);

    private CertificateVerifier() {}

    /** Verifies {@code chain} at time {@code now}; throws a {@link HandshakeException} saying why not. */
    static Verified verify(X509Certificate[] chain, Instant now) throws HandshakeException {
        if (chain == null || chain.length != 1) {
            throw new HandshakeException("tls: the peer presented " + (chain == null ? 0 : chain.length)
                    + " certificates (expected: 1)");
        }
        X509Certificate cert = chain[0];
        try {
            cert.checkValidity(Date.from(now));
        } catch (CertificateExpiredException e) {
            throw new HandshakeException("tls: the peer's certificate expired at " + cert.getNotAfter().toInstant());
        } catch (CertificateNotYetValidException e) {
            throw new HandshakeException("tls: the peer's certificate is not valid before "
                    + cert.getNotBefore().toInstant());
        }
        if (cert.getIssuerUniqueID() != null || cert.getSubjectUniqueID() != null) {
            throw new HandshakeException("tls: the peer's certificate has the deprecated unique id fields");
        }
        Certificate parsed;
        try {
            byte[] der = cert.getEncoded();
            parsed = EmptyIssuerCertificates.allowingEmptyIssuer(() -> Certificate.getInstance(der));
        } catch (Exception e) {
            throw new HandshakeException("tls: malformed certificate: " + e.getMessage(), e);
        }
        checkSignatureAlgorithm(parsed.getSignatureAlgorithm());
        SubjectPublicKeyInfo spki = parsed.getSubjectPublicKeyInfo();
        checkNamedCurve(spki.getAlgorithm());
        Extensions extensions = parsed.getTBSCertificate().getExtensions();
        if (extensions != null) {
            for (ASN1ObjectIdentifier oid : extensions.getCriticalExtensionOIDs()) {
                if (!UNDERSTOOD_CRITICAL.contains(oid)) {
                    throw new HandshakeException("tls: the peer's certificate has an unknown critical extension " + oid);
                }
            }
        }
        try {
            cert.verify(cert.getPublicKey());
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new HandshakeException("tls: the peer's certificate is not validly self-signed: " + e.getMessage(), e);
        }
        Extension extension = extensions == null ? null : extensions.getExtension(TlsCertificate.EXTENSION_OID);
        if (extension == null) {
            throw new HandshakeException("tls: the peer's certificate has no libp2p public key extension ("
                    + TlsCertificate.EXTENSION_OID + ")");
        }
        return verifySignedKey(extension.getExtnValue().getOctets(), encode(spki));
    }

    /** Decodes the {@code SignedKey} and checks its signature over {@code spki}. */
    static Verified verifySignedKey(byte[] signedKey, byte[] spki) throws HandshakeException {
        ASN1Primitive p;
        try {
            p = ASN1Primitive.fromByteArray(signedKey); // rejects trailing bytes
        } catch (IOException | RuntimeException e) {
            throw new HandshakeException("tls: malformed libp2p public key extension: " + e.getMessage(), e);
        }
        if (!(p instanceof ASN1Sequence seq) || seq.size() != 2
                || !(seq.getObjectAt(0) instanceof ASN1OctetString k)
                || !(seq.getObjectAt(1) instanceof ASN1OctetString s)) {
            throw new HandshakeException("tls: malformed libp2p public key extension"
                    + " (expected: SEQUENCE of two OCTET STRINGs)");
        }
        byte[] keyBytes = k.getOctets();
        byte[] signature = s.getOctets();
        PubKey key;
        try {
            key = Keys.unmarshalPublicKey(keyBytes);
        } catch (RuntimeException e) {
            throw new HandshakeException("tls: bad public key in the libp2p extension: " + e.getMessage(), e);
        }
        if (!key.verify(TlsCertificate.signedData(spki), signature)) {
            throw new HandshakeException("tls: the libp2p extension's signature does not match the certificate key");
        }
        return new Verified(key, PeerId.fromPublicKey(key));
    }

    private static void checkSignatureAlgorithm(AlgorithmIdentifier algorithm) throws HandshakeException {
        ASN1ObjectIdentifier oid = algorithm.getAlgorithm();
        if (!SIGNATURE_ALGORITHMS.contains(oid)) {
            throw new HandshakeException("tls: the peer's certificate is signed with " + oid
                    + " (expected: ECDSA, EdDSA or RSA with SHA-256 or longer)");
        }
        if (oid.equals(PKCSObjectIdentifiers.id_RSASSA_PSS)) {
            ASN1ObjectIdentifier hash;
            try {
                hash = RSASSAPSSparams.getInstance(algorithm.getParameters()).getHashAlgorithm().getAlgorithm();
            } catch (RuntimeException e) {
                throw new HandshakeException("tls: malformed RSASSA-PSS parameters: " + e.getMessage(), e);
            }
            if (!PSS_HASHES.contains(hash)) {
                throw new HandshakeException("tls: the peer's certificate is signed with RSASSA-PSS and hash " + hash
                        + " (expected: SHA-256 or longer)");
            }
        }
    }

    private static void checkNamedCurve(AlgorithmIdentifier keyAlgorithm) throws HandshakeException {
        if (keyAlgorithm.getAlgorithm().equals(X9ObjectIdentifiers.id_ecPublicKey)
                && !(keyAlgorithm.getParameters() instanceof ASN1ObjectIdentifier)) {
            throw new HandshakeException("tls: the peer's certificate key has explicit curve parameters"
                    + " (expected: a named curve)");
        }
    }

    private static byte[] encode(SubjectPublicKeyInfo spki) throws HandshakeException {
        try {
            return spki.getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new HandshakeException("tls: cannot encode the certificate key: " + e.getMessage(), e);
        }
    }
}
