package io.vine.security.tls;

import io.vine.core.HandshakeException;
import io.vine.core.PeerIdMismatchException;
import io.vine.core.peer.PeerId;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The trust decision of one connection: no certificate authority, no host name; the peer's single
 * self-signed certificate must carry a valid libp2p extension ({@link CertificateVerifier}) and, when
 * the dialer expects a peer, prove that peer. Remembers the verified identity, or the reason for
 * refusing, for {@link TlsHandshakeHandler}.
 */
final class PeerTrustManager extends X509ExtendedTrustManager {
    private static final X509Certificate[] NO_ISSUERS = new X509Certificate[0];

    private final Optional<PeerId> expected;
    private final Clock clock;
    private volatile CertificateVerifier.Verified verified;
    private volatile HandshakeException failure;

    PeerTrustManager(Optional<PeerId> expected, Clock clock) {
        this.expected = expected;
        this.clock = clock;
    }

    /** The identity the peer proved, or null if it did not (yet). */
    CertificateVerifier.Verified verified() {
        return verified;
    }

    /** Why the peer's certificate was refused, or null. */
    HandshakeException failure() {
        return failure;
    }

    private void check(X509Certificate[] chain) throws CertificateException {
        try {
            CertificateVerifier.Verified v = CertificateVerifier.verify(chain, clock.instant());
            if (expected.isPresent() && !expected.get().equals(v.peerId())) {
                throw new PeerIdMismatchException(expected.get(), v.peerId());
            }
            verified = v;
        } catch (HandshakeException e) {
            failure = e;
            throw new CertificateException(e.getMessage(), e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return NO_ISSUERS; // self-signed certificates only: no CA names in the CertificateRequest
    }
}
