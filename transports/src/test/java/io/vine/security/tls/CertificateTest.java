package io.vine.security.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vine.core.HandshakeException;
import io.vine.core.crypto.KeyType;
import io.vine.core.crypto.Keys;
import io.vine.core.crypto.PrivKey;
import io.vine.core.peer.PeerId;
import java.security.interfaces.ECPublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.Extensions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CertificateTest {
    private final PrivKey identity = Keys.generateEd25519();
    private final PeerId peer = PeerId.fromPublicKey(identity.publicKey());

    private static CertificateVerifier.Verified verify(X509Certificate... chain) {
        return CertificateVerifier.verify(chain, Instant.now());
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void issuedCertificateProvesTheIdentityOfEveryKeyType(KeyType type) {
        PrivKey key = Keys.generate(type);
        X509Certificate cert = TlsCertificate.issue(key).certificate();

        CertificateVerifier.Verified v = verify(cert);

        assertThat(v.key()).isEqualTo(key.publicKey());
        assertThat(v.peerId()).isEqualTo(PeerId.fromPublicKey(key.publicKey()));
    }

    @Test
    void issuedCertificateHasTheSpecifiedShape() throws Exception {
        Instant now = Instant.now();
        X509Certificate cert = TlsCertificate.issue(identity).certificate();

        assertThat(cert.getVersion()).isEqualTo(3);
        assertThat(cert.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(cert.getPublicKey()).isInstanceOf(ECPublicKey.class);
        assertThat(((ECPublicKey) cert.getPublicKey()).getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
        assertThat(cert.getSubjectX500Principal()).isEqualTo(cert.getIssuerX500Principal());
        cert.verify(cert.getPublicKey()); // self-signed
        assertThat(cert.getNotBefore().toInstant()).isBetween(now.minus(Duration.ofMinutes(61)), now.minus(Duration.ofMinutes(59)));
        assertThat(cert.getNotAfter().toInstant()).isAfter(now.plus(Duration.ofDays(99 * 365)));
        assertThat(cert.getSerialNumber().signum()).isPositive();
        assertThat(cert.getIssuerUniqueID()).isNull();
        assertThat(cert.getSubjectUniqueID()).isNull();
        // the libp2p extension: critical, and the first (only) one, as js-libp2p reads extensions[0]
        assertThat(cert.getCriticalExtensionOIDs()).containsExactly("1.3.6.1.4.1.53594.1.1");
        assertThat(cert.getNonCriticalExtensionOIDs()).isNullOrEmpty();
        Extensions exts = Certificate.getInstance(cert.getEncoded()).getTBSCertificate().getExtensions();
        assertThat(exts.getExtensionOIDs()).containsExactly(TlsCertificate.EXTENSION_OID);
        // SignedKey ::= SEQUENCE { OCTET STRING publicKey, OCTET STRING signature }
        ASN1Sequence signedKey = (ASN1Sequence) ASN1Primitive.fromByteArray(
                exts.getExtension(TlsCertificate.EXTENSION_OID).getExtnValue().getOctets());
        assertThat(signedKey.size()).isEqualTo(2);
        byte[] publicKey = ((ASN1OctetString) signedKey.getObjectAt(0)).getOctets();
        byte[] signature = ((ASN1OctetString) signedKey.getObjectAt(1)).getOctets();
        assertThat(publicKey).isEqualTo(identity.publicKey().marshal());
        byte[] expectedData = concat("libp2p-tls-handshake:".getBytes(), cert.getPublicKey().getEncoded());
        assertThat(identity.publicKey().verify(expectedData, signature)).isTrue();
    }

    @Test
    void everyConnectionGetsANewCertificateKey() {
        X509Certificate a = TlsCertificate.issue(identity).certificate();
        X509Certificate b = TlsCertificate.issue(identity).certificate();
        assertThat(a.getPublicKey()).isNotEqualTo(b.getPublicKey());
        assertThat(a.getSerialNumber()).isNotEqualTo(b.getSerialNumber());
    }

    @Test
    void forgedButCorrectCertificatePasses() {
        // the forge itself makes valid certificates unless told otherwise (so the failures below are meaningful)
        assertThat(verify(CertificateForge.forIdentity(identity).build()).peerId()).isEqualTo(peer);
    }

    @Test
    void rejectsTwoCertificatesAndNone() {
        X509Certificate cert = TlsCertificate.issue(identity).certificate();
        X509Certificate other = TlsCertificate.issue(Keys.generateEd25519()).certificate();
        assertThatThrownBy(() -> verify(cert, other)).isInstanceOf(HandshakeException.class)
                .hasMessageContaining("2 certificates (expected: 1)");
        assertThatThrownBy(() -> verify()).isInstanceOf(HandshakeException.class)
                .hasMessageContaining("0 certificates (expected: 1)");
        assertThatThrownBy(() -> CertificateVerifier.verify(null, Instant.now())).isInstanceOf(HandshakeException.class);
    }

    @Test
    void rejectsExpiredAndNotYetValid() {
        Instant now = Instant.now();
        X509Certificate expired = CertificateForge.forIdentity(identity)
                .validity(now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(1))).build();
        X509Certificate future = CertificateForge.forIdentity(identity)
                .validity(now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(2))).build();
        assertThatThrownBy(() -> verify(expired)).isInstanceOf(HandshakeException.class).hasMessageContaining("expired");
        assertThatThrownBy(() -> verify(future)).isInstanceOf(HandshakeException.class).hasMessageContaining("not valid before");
        // the same certificate is accepted inside its window
        assertThat(CertificateVerifier.verify(new X509Certificate[] {expired}, now.minus(Duration.ofHours(36))).peerId())
                .isEqualTo(peer);
    }

    @Test
    void rejectsCertificateWithoutTheExtension() {
        X509Certificate cert = CertificateForge.forIdentity(identity).withoutExtension().build();
        assertThatThrownBy(() -> verify(cert)).isInstanceOf(HandshakeException.class)
                .hasMessageContaining("no libp2p public key extension");
    }

    @Test
    void rejectsExtensionSignedByAnotherKey() {
        X509Certificate cert = CertificateForge.forIdentity(identity).extensionSignedBy(Keys.generateEd25519()).build();
        assertThatThrownBy(() -> verify(cert)).isInstanceOf(HandshakeException.class)
                .hasMessageContaining("signature does not match");
    }

    @Test
    void rejectsExtensionThatSignsAnotherCertificateKey() {
        byte[] otherSpki = TlsCertificate.newCertificateKey().getPublic().getEncoded();
        X509Certificate cert = CertificateForge.forIdentity(identity).extensionSignsSpki(otherSpki).build();
        assertThatThrownBy(() -> verify(cert)).isInstanceOf(HandshakeException.class)
                .hasMessageContaining("signature does not match");
    }

    @Test
    void rejectsMalformedExtensionValues() throws Exception {
        byte[] good = CertificateForge.forIdentity(identity).build()
                .getExtensionValue(TlsCertificate.EXTENSION_OID.getId()); // OCTET STRING around the SignedKey
        byte[] signedKey = ((ASN1OctetString) ASN1Primitive.fromByteArray(good)).getOctets();
        ASN1Sequence seq = (ASN1Sequence) ASN1Primitive.fromByteArray(signedKey);
        byte[] key = ((ASN1OctetString) seq.getObjectAt(0)).getOctets();
        byte[] sig = ((ASN1OctetString) seq.getObjectAt(1)).getOctets();

        byte[][] bad = {
            {1, 2, 3},                                                        // not DER
            Arrays.copyOf(signedKey, signedKey.length - 1),                   // truncated
            concat(signedKey, new byte[] {0}),                                // trailing byte
            new DERSequence(new DEROctetString(key)).getEncoded(),            // one element
            sequence(new DEROctetString(key), new DEROctetString(sig), new DEROctetString(sig)), // three
            sequence(new DERBitString(key), new DERBitString(sig)),           // BIT STRINGs
            new DEROctetString(signedKey).getEncoded(),                       // not a SEQUENCE
            sequence(new DEROctetString(new byte[] {8, 9}), new DEROctetString(sig)), // bad protobuf key
            sequence(new DEROctetString(key), new DEROctetString(new byte[0])),       // empty signature
        };
        for (byte[] value : bad) {
            X509Certificate cert = CertificateForge.forIdentity(identity).extensionValue(v -> value).build();
            assertThatThrownBy(() -> verify(cert)).as("extension %s", Arrays.toString(value))
                    .isInstanceOf(HandshakeException.class).hasMessageStartingWith("tls: ");
        }
    }

    @Test
    void rejectsInvalidSelfSignature() throws Exception {
        byte[] der = CertificateForge.forIdentity(identity).build().getEncoded();
        der[der.length - 1] ^= 0x01; // the last byte of the ECDSA signature's s
        X509Certificate cert = TlsCertificate.parse(der);
        assertThatThrownBy(() -> verify(cert)).isInstanceOf(HandshakeException.class)
                .hasMessageContaining("not validly self-signed");
    }

    @Test
    void rejectsWeakSignatureHash() {
        X509Certificate cert = CertificateForge.forIdentity(identity).signatureAlgorithm("SHA1withECDSA").build();
        assertThatThrownBy(() -> verify(cert)).isInstanceOf(HandshakeException.class)
                .hasMessageContaining("expected: ECDSA, EdDSA or RSA with SHA-256 or longer");
    }

    @Test
    void rejectsUnknownCriticalExtensionButIgnoresUnknownNonCritical() {
        X509Certificate critical = CertificateForge.forIdentity(identity).extraExtension("1.2.3.4", true, new byte[] {5}).build();
        X509Certificate nonCritical = CertificateForge.forIdentity(identity).extraExtension("1.2.3.4", false, new byte[] {5}).build();
        assertThatThrownBy(() -> verify(critical)).isInstanceOf(HandshakeException.class)
                .hasMessageContaining("unknown critical extension 1.2.3.4");
        assertThat(verify(nonCritical).peerId()).isEqualTo(peer);
    }

    @Test
    void explicitCurveParametersDoNotEvenParse() {
        // The JDK refuses to decode such a certificate, so the TLS engine aborts before our verifier runs;
        // CertificateVerifier checks it again for providers that decode them.
        assertThatThrownBy(() -> CertificateForge.forIdentity(identity).explicitCurveParameters().build())
                .hasRootCauseInstanceOf(java.io.IOException.class)
                .hasStackTraceContaining("CertificateParsingException");
    }

    private static byte[] sequence(org.bouncycastle.asn1.ASN1Encodable... items) throws Exception {
        return new DERSequence(new ASN1EncodableVector() {
            {
                for (var i : items) {
                    add(i);
                }
            }
        }).getEncoded();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
