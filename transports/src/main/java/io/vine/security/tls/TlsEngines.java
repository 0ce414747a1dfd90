package io.vine.security.tls;

import java.security.GeneralSecurityException;
import java.security.Security;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;

/**
 * Configures the JDK's own TLS engine (SunJSSE) for one libp2p connection: TLS 1.3 only, AES-GCM
 * first (the JDK's AES-GCM is intrinsified), then ChaCha20-Poly1305; mutual authentication with the
 * connection's certificate; no server name; ALPN carrying the muxer ids and then {@value #ALPN_LIBP2P}.
 */
final class TlsEngines {
    /** The ALPN id that means "negotiate the muxer with multistream-select afterwards". */
    static final String ALPN_LIBP2P = "libp2p";

    static final String TLS_1_3 = "TLSv1.3";

    private static final String JDK_PROVIDER = "SunJSSE";

    /** In preference order. */
    static final List<String> CIPHER_SUITES =
            List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");

    private TlsEngines() {}

    /**
     * A new engine for one connection. Each connection has its own context, so no session is ever
     * resumed: every handshake carries (and verifies) the certificates.
     */
    static SSLEngine newEngine(TlsCertificate.Issued certificate, PeerTrustManager trust, boolean client,
            List<String> muxers) throws GeneralSecurityException {
        // The JDK's own engine, even if another JSSE provider was registered in front of it.
        SSLContext context = Security.getProvider(JDK_PROVIDER) != null
                ? SSLContext.getInstance(TLS_1_3, Security.getProvider(JDK_PROVIDER))
                : SSLContext.getInstance(TLS_1_3);
        context.init(new KeyManager[] {new CertificateKeyManager(certificate)}, new TrustManager[] {trust}, null);
        SSLEngine engine = context.createSSLEngine(); // no peer host: no server name indication
        engine.setUseClientMode(client);
        SSLParameters p = engine.getSSLParameters();
        p.setProtocols(new String[] {TLS_1_3});
        Set<String> supported = Set.of(engine.getSupportedCipherSuites());
        p.setCipherSuites(CIPHER_SUITES.stream().filter(supported::contains).toArray(String[]::new));
        p.setUseCipherSuitesOrder(true);
        p.setServerNames(List.of()); // the spec: clients MUST NOT send a server name
        p.setEndpointIdentificationAlgorithm(null); // no host name check; the peer id is the identity
        p.setApplicationProtocols(alpn(muxers));
        if (!client) {
            p.setNeedClientAuth(true);
        }
        engine.setSSLParameters(p);
        if (!client) {
            engine.setHandshakeApplicationProtocolSelector((e, offered) -> select(offered, muxers));
        }
        return engine;
    }

    /** What a client offers: the muxers in preference order, then {@value #ALPN_LIBP2P}. */
    static String[] alpn(List<String> muxers) {
        List<String> ids = new ArrayList<>(muxers);
        ids.remove(ALPN_LIBP2P);
        ids.add(ALPN_LIBP2P);
        return ids.toArray(String[]::new);
    }

    /**
     * The server's choice: the first protocol in the client's list that it supports (the client's
     * preference counts); "" (no ALPN) when the client offered nothing; null (a fatal
     * no_application_protocol alert) when nothing offered is acceptable.
     */
    static String select(List<String> offered, List<String> muxers) {
        if (offered.isEmpty()) {
            return "";
        }
        List<String> ours = Arrays.asList(alpn(muxers));
        for (String id : offered) {
            if (ours.contains(id)) {
                return id;
            }
        }
        return null;
    }
}
