package io.vine.security.noise;

import static java.util.Objects.requireNonNull;

import io.netty.channel.Channel;
import io.vine.core.SecureSession;
import io.vine.core.SecurityContext;
import io.vine.core.SecurityProtocol;
import io.vine.core.crypto.PrivKey;
import io.vine.core.peer.PeerId;
import java.util.concurrent.CompletableFuture;

/**
 * The noise-libp2p secure channel, {@value #PROTOCOL_ID}: the {@code Noise_XX_25519_ChaChaPoly_SHA256}
 * handshake with the libp2p identity proven by a signature over the static Noise key, then
 * ChaCha20-Poly1305 transport messages of at most 65535 bytes. The stream muxer is negotiated inside
 * the handshake when both sides list muxers in the handshake extensions.
 *
 * <p>One instance serves any number of connections and identities; it holds a static X25519 key
 * pair, generated when it is created and never stored.
 */
public final class NoiseSecurity implements SecurityProtocol {
    /** The multistream-select protocol id of noise-libp2p. */
    public static final String PROTOCOL_ID = "/noise";

    private static final byte[] PROLOGUE = new byte[0];

    private final X25519.KeyPair staticKey;
    private volatile SignedStaticKey signed;

    /** A noise security protocol with a fresh static Noise key. */
    public NoiseSecurity() {
        this(X25519.generate());
    }

    NoiseSecurity(X25519.KeyPair staticKey) {
        this.staticKey = staticKey;
    }

    @Override
    public String protocolId() {
        return PROTOCOL_ID;
    }

    @Override
    public CompletableFuture<SecureSession> secure(Channel channel, SecurityContext context) {
        requireNonNull(channel, "channel");
        requireNonNull(context, "context");
        SignedStaticKey s = signedStaticKey(context.localKey());
        byte[] payload = HandshakePayload.encode(context.localKey(), s.signature(), context.muxers());
        CompletableFuture<SecureSession> result = new CompletableFuture<>();
        HandshakeState handshake = new HandshakeState(context.initiator(), staticKey, PROLOGUE);
        channel.pipeline().addLast(new NoiseHandshakeHandler(handshake, context, s.peerId(), payload, result));
        return result;
    }

    /** The identity's signature over our static key, computed once per identity key. */
    private SignedStaticKey signedStaticKey(PrivKey key) {
        SignedStaticKey s = signed;
        if (s == null || s.key() != key) {
            byte[] signature = key.sign(HandshakePayload.signedData(staticKey.publicKey()));
            s = new SignedStaticKey(key, PeerId.fromPublicKey(key.publicKey()), signature);
            signed = s;
        }
        return s;
    }

    private record SignedStaticKey(PrivKey key, PeerId peerId, byte[] signature) {}
}
