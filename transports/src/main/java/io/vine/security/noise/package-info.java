/**
 * noise-libp2p, the Noise secure channel of libp2p (libp2p/specs noise/README.md): the
 * {@code Noise_XX_25519_ChaChaPoly_SHA256} handshake (Noise Protocol Framework, revision 34, sections
 * 5 and 12), the signed libp2p handshake payload with its extensions, stream muxer negotiation inside
 * the handshake (libp2p/specs connections/inlined-muxer-negotiation.md), and the 2-byte length
 * prefixed wire format. Crypto comes from the JDK (XDH, SHA-256, HMAC-SHA256)
 * and from {@link io.vine.security.crypto.ChaCha20Poly1305}.
 */
package io.vine.security.noise;
