package io.vine.security.tls;

import static java.util.Objects.requireNonNull;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslHandler;
import io.vine.core.HandshakeException;
import io.vine.core.SecureSession;
import io.vine.core.SecurityContext;
import io.vine.core.SecurityProtocol;
import io.vine.core.codec.CompactingCumulator;
import io.vine.core.peer.PeerId;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import javax.net.ssl.SSLEngine;

/**
 * The libp2p TLS secure channel, {@value #PROTOCOL_ID}: TLS 1.3 with both sides presenting a fresh
 * self-signed certificate whose libp2p Public Key Extension proves the peer's identity key. The
 * stream muxer is agreed inside the handshake through ALPN when both sides support it.
 *
 * <p>The record layer is the JDK's TLS engine inside Netty's {@link SslHandler}, so AES-GCM runs on
 * the JDK's intrinsified implementation. A muxer's composite writes reach the SslHandler in one piece
 * ({@link CompositeFlattener}), and the first instance warms AES-GCM up in the background
 * ({@link AesGcmWarmup}). One instance serves any number of connections and identities; every
 * connection gets a new certificate key.
 *
 * <p>Creating the first instance adds an X.509 certificate parser in front of the JVM's own: the JDK
 * refuses certificates with an empty issuer name, which js-libp2p sends. It parses every other
 * certificate exactly as before. {@code -Dvine.tls.strictCertificateParsing=true} turns this off (and
 * with it TLS to such peers).
 *
 * <p>Creating the first instance also puts a provider of AES-GCM directly in front of the JDK's own
 * ({@link FusedGcmDecryption}): it is the JDK's AES-GCM, except that the records the engine decrypts
 * in place take the JDK's faster fused path. {@code -Dio.vine.tls.fusedGcm=false} turns this off.
 */
public final class TlsSecurity implements SecurityProtocol {
    /** The multistream-select protocol id of libp2p TLS. */
    public static final String PROTOCOL_ID = "/tls/1.0.0";

    /**
     * Plaintext bytes the SslHandler takes from its queue per wrap. It seals as many whole records as
     * fit an outbound buffer of this size into that one buffer: three with the JDK's engine, whose
     * TLS 1.3 records carry 16383 bytes of data and which asks for 16709 bytes of room per record. Bulk
     * data then costs one allocation and one socket write per three records instead of per record.
     * With yamux's 64 KiB frames, 1 GiB each way from a fresh perf client on loopback went from 13.5
     * to 15.1 Gbit/s (see YamuxConfig); 16383 (one record per wrap) measured 13.8, 49519 (three
     * records, no remainder) 14.7 against 14.5 for this in the same minutes.
     */
    static final int WRAP_DATA_SIZE = 64 * 1024;

    private final Function<SecurityContext, TlsCertificate.Issued> certificates;
    private final Clock clock;

    /** A TLS security protocol that makes a new ECDSA P-256 certificate for every connection. */
    public TlsSecurity() {
        this(context -> TlsCertificate.issue(context.localKey()), Clock.systemUTC());
    }

    /** For tests: presents the certificates {@code certificates} makes; checks validity at {@code clock}. */
    TlsSecurity(Function<SecurityContext, TlsCertificate.Issued> certificates, Clock clock) {
        this.certificates = certificates;
        this.clock = clock;
        EmptyIssuerCertificates.install(); // so that js-libp2p's certificates parse: see there
        FusedGcmDecryption.install(); // so that records decrypt on the JDK's fused AES-GCM path: see there
        AesGcmWarmup.startOnce(); // so that the first connection does not wait for the JIT: see there
    }

    @Override
    public String protocolId() {
        return PROTOCOL_ID;
    }

    @Override
    public CompletableFuture<SecureSession> secure(Channel channel, SecurityContext context) {
        requireNonNull(channel, "channel");
        requireNonNull(context, "context");
        CompletableFuture<SecureSession> result = new CompletableFuture<>();
        SSLEngine engine;
        PeerTrustManager trust = new PeerTrustManager(context.expectedRemote(), clock);
        try {
            engine = TlsEngines.newEngine(certificates.apply(context), trust, context.initiator(), context.muxers());
        } catch (GeneralSecurityException | RuntimeException e) {
            result.completeExceptionally(new HandshakeException("tls: cannot set up the handshake: " + e, e));
            channel.close();
            return result;
        }
        SslHandler ssl = new SslHandler(engine);
        ssl.setWrapDataSize(WRAP_DATA_SIZE);
        ssl.setCumulator(CompactingCumulator.HEAP); // the JDK decrypts arrays faster than direct memory: see there
        ssl.setHandshakeTimeoutMillis(0); // the caller bounds the handshake (the swarm: its handshakeTimeout), as with Noise
        PeerId localPeer = PeerId.fromPublicKey(context.localKey().publicKey());
        ChannelPipeline pipeline = channel.pipeline();
        // The completion handler first, so that it sees whatever the SslHandler reports from handlerAdded on.
        pipeline.addLast(new TlsHandshakeHandler(engine, trust, context, localPeer, result));
        ChannelHandlerContext handshake = pipeline.context(TlsHandshakeHandler.class);
        pipeline.addBefore(handshake.name(), null, ssl);
        pipeline.addBefore(handshake.name(), null, new CompositeFlattener()); // writes reach the SslHandler whole
        return result;
    }
}
