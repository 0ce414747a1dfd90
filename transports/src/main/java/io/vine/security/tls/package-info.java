/**
 * libp2p TLS, {@code /tls/1.0.0} (libp2p/specs tls/tls.md): TLS 1.3 with mutual authentication by
 * self-signed certificates that carry the libp2p Public Key Extension (OID 1.3.6.1.4.1.53594.1.1),
 * and stream muxer negotiation through ALPN (libp2p/specs connections/inlined-muxer-negotiation.md).
 * The TLS engine is the JDK's (SunJSSE) in Netty's SslHandler; certificates are built with
 * BouncyCastle. The JDK's X.509 parser refuses the empty issuer names of js-libp2p's certificates;
 * {@code EmptyIssuerCertificates} puts a parser in front of it that accepts them.
 */
package io.vine.security.tls;
