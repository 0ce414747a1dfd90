package io.vine.security.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vine.core.SecureSession;
import io.vine.core.SecurityContext;
import io.vine.core.crypto.Keys;
import io.vine.core.crypto.PrivKey;
import io.vine.core.peer.PeerId;
import io.vine.security.ChannelPair;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A certificate as js-libp2p makes it (a test vector: empty issuer and subject names), which the
 * JDK's own X.509 parser refuses, accepted through {@link EmptyIssuerCertificates}.
 */
class JsCertificateTest {
    private static byte[] der;
    private static PrivateKey key;
    private static PeerId peer;

    @BeforeAll
    static void load() throws Exception {
        Properties p = new Properties();
        try (InputStream in = JsCertificateTest.class.getResourceAsStream("js-libp2p-certificate.properties")) {
            p.load(in);
        }
        der = Base64.getDecoder().decode(p.getProperty("certificate"));
        key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(p.getProperty("privateKey"))));
        peer = PeerId.parse(p.getProperty("peerId"));
        new TlsSecurity(); // installs the lenient parser
    }

    @Test
    void theJdkAloneRefusesTheEmptyIssuer() {
        assertThatThrownBy(() -> CertificateFactory.getInstance("X.509", "SUN").generateCertificate(new ByteArrayInputStream(der)))
                .isInstanceOf(CertificateException.class).hasMessageContaining("Empty issuer DN");
    }

    @Test
    void theJsCertificateVerifiesAndNamesItsPeer() throws Exception {
        X509Certificate cert = EmptyIssuerCertificates.parse(der);
        CertificateVerifier.Verified v = CertificateVerifier.verify(new X509Certificate[] {cert}, Instant.now());
        assertThat(v.peerId()).isEqualTo(peer);
        assertThat(PeerId.fromPublicKey(v.key())).isEqualTo(peer);
    }

    @Test
    void theDefaultFactoryParsesItAndEverythingElseAsBefore() throws Exception {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        assertThat(factory.getProvider().getName()).isEqualTo(EmptyIssuerCertificates.PROVIDER_NAME);
        X509Certificate js = (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der));
        assertThat(js.getEncoded()).isEqualTo(der);
        assertThat(js.getIssuerX500Principal().getName()).isEmpty();

        byte[] ours = TlsCertificate.issue(Keys.generateEd25519()).certificate().getEncoded();
        X509Certificate normal = (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(ours));
        X509Certificate jdk = (X509Certificate) CertificateFactory.getInstance("X.509", "SUN")
                .generateCertificate(new ByteArrayInputStream(ours));
        assertThat(normal.getClass()).isEqualTo(jdk.getClass()); // the JDK's own parse, untouched
        assertThat(normal).isEqualTo(jdk);

        // several certificates at once, and streams that cannot be re-read, go to the JDK unchanged
        byte[] two = new byte[ours.length * 2];
        System.arraycopy(ours, 0, two, 0, ours.length);
        System.arraycopy(ours, 0, two, ours.length, ours.length);
        assertThat(factory.generateCertificates(new ByteArrayInputStream(two))).hasSize(2);
        InputStream unmarkable = new java.io.FilterInputStream(new ByteArrayInputStream(der)) {
            @Override
            public boolean markSupported() {
                return false;
            }
        };
        assertThatThrownBy(() -> factory.generateCertificate(unmarkable)).hasMessageContaining("Empty issuer DN");

        // other malformed input is still refused, with the JDK's error
        assertThatThrownBy(() -> factory.generateCertificate(new ByteArrayInputStream(new byte[] {0x30, 0x03, 1, 2, 3})))
                .isInstanceOf(CertificateException.class);
    }

    @Test
    void vineCompletesAHandshakeWithAPeerPresentingTheJsCertificate() throws Exception {
        TlsCertificate.Issued jsCertificate = new TlsCertificate.Issued(EmptyIssuerCertificates.parse(der), key);
        TlsSecurity js = new TlsSecurity(context -> jsCertificate, Clock.systemUTC());
        PrivKey vineKey = Keys.generateEd25519();
        PrivKey unusedIdentity = Keys.generateEd25519(); // js's identity key is in the certificate already
        try (ChannelPair wire = new ChannelPair()) {
            CompletableFuture<SecureSession> vine = new TlsSecurity().secure(wire.initiator,
                    new SecurityContext(vineKey, true, Optional.of(peer), List.of("/yamux/1.0.0")));
            CompletableFuture<SecureSession> server = js.secure(wire.responder,
                    new SecurityContext(unusedIdentity, false, Optional.empty(), List.of("/yamux/1.0.0")));
            wire.pump();
            assertThat(vine.join().remotePeer()).isEqualTo(peer);
            assertThat(vine.join().earlyMuxer()).contains("/yamux/1.0.0");
            assertThat(server.join().remotePeer()).isEqualTo(PeerId.fromPublicKey(vineKey.publicKey()));
        }
        // and the other way round: vine as the server, the js certificate on the client
        try (ChannelPair wire = new ChannelPair()) {
            CompletableFuture<SecureSession> client = js.secure(wire.initiator,
                    new SecurityContext(unusedIdentity, true, Optional.empty(), List.of()));
            CompletableFuture<SecureSession> vine = new TlsSecurity().secure(wire.responder,
                    new SecurityContext(vineKey, false, Optional.empty(), List.of()));
            wire.pump();
            assertThat(client.join().remotePeer()).isEqualTo(PeerId.fromPublicKey(vineKey.publicKey()));
            assertThat(vine.join().remotePeer()).isEqualTo(peer);
        }
    }
}
