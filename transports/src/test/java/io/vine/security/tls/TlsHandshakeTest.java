package io.vine.security.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandler;
import io.vine.core.HandshakeException;
import io.vine.core.PeerIdMismatchException;
import io.vine.core.SecureSession;
import io.vine.core.SecurityContext;
import io.vine.core.crypto.KeyType;
import io.vine.core.crypto.Keys;
import io.vine.core.crypto.PrivKey;
import io.vine.core.peer.PeerId;
import io.vine.security.ChannelPair;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Full TLS handshakes between two {@link EmbeddedChannel}s, good and bad. */
class TlsHandshakeTest {
    static final String YAMUX = "/yamux/1.0.0";
    static final String MPLEX = "/mplex/6.7.0";

    private final ChannelPair wire = new ChannelPair();
    private final PrivKey alice = Keys.generateEd25519();
    private final PrivKey bob = Keys.generateEd25519();
    private final PeerId bobId = PeerId.fromPublicKey(bob.publicKey());

    @AfterEach
    void close() {
        wire.close();
    }

    private CompletableFuture<SecureSession> dial(TlsSecurity tls, PrivKey key, Optional<PeerId> expected, List<String> muxers) {
        return tls.secure(wire.initiator, new SecurityContext(key, true, expected, muxers));
    }

    private CompletableFuture<SecureSession> accept(TlsSecurity tls, PrivKey key, List<String> muxers) {
        return tls.secure(wire.responder, new SecurityContext(key, false, Optional.empty(), muxers));
    }

    private static TlsSecurity presenting(Function<PrivKey, TlsCertificate.Issued> certificate) {
        return new TlsSecurity(context -> certificate.apply(context.localKey()), Clock.systemUTC());
    }

    @Test
    void handshakeAuthenticatesBothSidesAgreesOnYamuxAndCarriesData() {
        var client = dial(new TlsSecurity(), alice, Optional.of(bobId), List.of(YAMUX));
        var server = accept(new TlsSecurity(), bob, List.of(YAMUX));
        wire.pump();

        SecureSession c = client.join();
        SecureSession s = server.join();
        assertThat(c.localPeer()).isEqualTo(PeerId.fromPublicKey(alice.publicKey()));
        assertThat(c.remotePeer()).isEqualTo(bobId);
        assertThat(c.remoteKey()).isEqualTo(bob.publicKey());
        assertThat(s.remotePeer()).isEqualTo(PeerId.fromPublicKey(alice.publicKey()));
        assertThat(s.remoteKey()).isEqualTo(alice.publicKey());
        assertThat(c.earlyMuxer()).contains(YAMUX);
        assertThat(s.earlyMuxer()).contains(YAMUX);
        for (EmbeddedChannel ch : List.of(wire.initiator, wire.responder)) {
            assertThat(ch.pipeline().get(TlsHandshakeHandler.class)).isNull();
            SslHandler ssl = ch.pipeline().get(SslHandler.class);
            assertThat(ssl).isNotNull();
            SSLSession session = ssl.engine().getSession();
            assertThat(session.getProtocol()).isEqualTo("TLSv1.3");
            assertThat(session.getCipherSuite()).isEqualTo("TLS_AES_128_GCM_SHA256");
        }
        // the client sent no server name (the spec: clients MUST NOT send one)
        ExtendedSSLSession serverSession = (ExtendedSSLSession) wire.responder.pipeline().get(SslHandler.class).engine().getSession();
        assertThat(serverSession.getRequestedServerNames()).isEmpty();
        assertRoundTrip("ping", "pong");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/yamux/1.0.0              | /yamux/1.0.0              | /yamux/1.0.0",
        "/mplex/6.7.0,/yamux/1.0.0 | /yamux/1.0.0,/mplex/6.7.0 | /mplex/6.7.0", // the client's preference
        "/yamux/1.0.0              | ''                        | ''",           // server: only "libp2p"
        "''                        | /yamux/1.0.0              | ''",           // client offers only "libp2p"
        "/mplex/6.7.0              | /yamux/1.0.0              | ''",           // no common muxer: "libp2p"
    })
    void alpnPicksTheClientsFirstSupportedMuxerElseLibp2p(String clientMuxers, String serverMuxers, String expected) {
        var client = dial(new TlsSecurity(), alice, Optional.empty(), list(clientMuxers));
        var server = accept(new TlsSecurity(), bob, list(serverMuxers));
        wire.pump();
        Optional<String> muxer = expected.isEmpty() ? Optional.empty() : Optional.of(expected);
        assertThat(client.join().earlyMuxer()).isEqualTo(muxer);
        assertThat(server.join().earlyMuxer()).isEqualTo(muxer);
        String alpn = wire.initiator.pipeline().get(SslHandler.class).engine().getApplicationProtocol();
        assertThat(alpn).isEqualTo(expected.isEmpty() ? "libp2p" : expected);
    }

    @ParameterizedTest
    @CsvSource({"ED25519,ED25519", "SECP256K1,ED25519", "ED25519,SECP256K1", "ECDSA,ECDSA", "RSA,ED25519", "ED25519,RSA"})
    void handshakeWorksWithEveryIdentityKeyType(KeyType dialerType, KeyType listenerType) {
        PrivKey dialer = Keys.generate(dialerType);
        PrivKey listener = Keys.generate(listenerType);
        var client = dial(new TlsSecurity(), dialer, Optional.of(PeerId.fromPublicKey(listener.publicKey())), List.of());
        var server = accept(new TlsSecurity(), listener, List.of());
        wire.pump();
        assertThat(client.join().remoteKey()).isEqualTo(listener.publicKey());
        assertThat(server.join().remotePeer()).isEqualTo(PeerId.fromPublicKey(dialer.publicKey()));
        assertRoundTrip("a", "b");
    }

    @Test
    void wrongExpectedPeerFailsWithMismatchAndClosesTheConnection() {
        PeerId mallory = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
        var client = dial(new TlsSecurity(), alice, Optional.of(mallory), List.of());
        var server = accept(new TlsSecurity(), bob, List.of());
        wire.pump();

        Throwable cause = failure(client);
        assertThat(cause).isInstanceOf(PeerIdMismatchException.class);
        assertThat(((PeerIdMismatchException) cause).expected()).isEqualTo(mallory);
        assertThat(((PeerIdMismatchException) cause).actual()).isEqualTo(bobId);
        assertThat(wire.initiator.isOpen()).isFalse();
        // the client aborted before its Finished: the server never completes
        assertThat(failure(server)).isInstanceOf(HandshakeException.class);
        assertThat(wire.responder.isOpen()).isFalse();
    }

    /** Each malformed certificate, presented by the server (the client refuses it) and by the client. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "no-extension   | no libp2p public key extension",
        "bad-signature  | signature does not match",
        "other-spki     | signature does not match",
        "expired        | expired",
        "not-yet-valid  | not valid before",
        "two-certs      | 2 certificates (expected: 1)",
        "critical-ext   | unknown critical extension",
        "sha1           | SHA-256 or longer",
    })
    void badCertificatesAreRefusedOnBothSides(String kind, String message) {
        TlsSecurity bad = presenting(key -> badCertificate(kind, key));

        // a bad server: the client refuses during the handshake
        var client = dial(new TlsSecurity(), alice, Optional.of(bobId), List.of(YAMUX));
        var server = accept(bad, bob, List.of(YAMUX));
        wire.pump();
        assertThat(failure(client)).isInstanceOf(HandshakeException.class).hasMessageContaining(message);
        assertThat(server).isCompletedExceptionally();
        assertThat(wire.initiator.isOpen()).isFalse();
        assertThat(wire.responder.isOpen()).isFalse();
        wire.close();

        // a bad client: the server refuses (the TLS 1.3 client may think it succeeded; the server closes)
        ChannelPair second = new ChannelPair();
        try {
            var client2 = bad.secure(second.initiator, new SecurityContext(alice, true, Optional.empty(), List.of()));
            var server2 = new TlsSecurity().secure(second.responder, new SecurityContext(bob, false, Optional.empty(), List.of()));
            List<Throwable> afterwards = recordExceptionsAfterHandshake(second.initiator, client2);
            second.pump();
            assertThat(failure(server2)).isInstanceOf(HandshakeException.class).hasMessageContaining(message);
            assertThat(second.responder.isOpen()).isFalse();
            assertThat(second.initiator.isOpen()).isFalse();
            assertThat(client2).isDone(); // succeeded (then got the alert) or failed, never pending
            if (!client2.isCompletedExceptionally()) {
                assertThat(afterwards).singleElement().asString().contains("certificate_unknown");
            }
        } finally {
            second.close();
        }
    }

    /** Collects the exceptions that reach the end of the pipeline once {@code session} completed. */
    private static List<Throwable> recordExceptionsAfterHandshake(EmbeddedChannel ch, CompletableFuture<SecureSession> session) {
        List<Throwable> seen = new java.util.ArrayList<>();
        session.thenAccept(s -> ch.pipeline().addLast(new io.netty.channel.ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(io.netty.channel.ChannelHandlerContext ctx, Throwable cause) {
                seen.add(cause);
            }
        }));
        return seen;
    }

    @Test
    void badClientCertificateIsRefusedByTheServerWithTheReason() {
        TlsSecurity bad = presenting(key -> CertificateForge.forIdentity(key).withoutExtension().issue());
        var client = dial(bad, alice, Optional.of(bobId), List.of());
        var server = accept(new TlsSecurity(), bob, List.of());
        List<Throwable> afterwards = recordExceptionsAfterHandshake(wire.initiator, client);
        wire.pump();
        // TLS 1.3: the client finished before the server saw its certificate; then the server's alert came
        assertThat(client).isCompleted();
        assertThat(afterwards).singleElement().asString().contains("Received fatal alert: certificate_unknown");
        assertThat(failure(server)).isInstanceOf(HandshakeException.class).hasMessageContaining("no libp2p public key extension");
        assertThat(wire.responder.isOpen()).isFalse();
        assertThat(wire.initiator.isOpen()).isFalse(); // the server's alert reached the client
    }

    @Test
    void garbageInsteadOfClientHelloFailsTheServer() {
        var server = accept(new TlsSecurity(), bob, List.of());
        wire.responder.writeInbound(Unpooled.copiedBuffer("/multistream/1.0.0\nhello there, this is no TLS\n", StandardCharsets.US_ASCII));
        assertThat(failure(server)).isInstanceOf(HandshakeException.class);
        assertThat(wire.responder.isOpen()).isFalse();
    }

    @Test
    void garbageInsteadOfServerHelloFailsTheClient() {
        var client = dial(new TlsSecurity(), alice, Optional.empty(), List.of());
        ChannelPair.drain(wire.initiator).forEach(ByteBuf::release); // the ClientHello goes nowhere
        byte[] junk = new byte[300];
        junk[0] = 22; // a handshake record header ...
        junk[1] = 3;
        junk[2] = 3;
        junk[4] = (byte) 200; // ... with 200 bytes of zeros
        wire.initiator.writeInbound(Unpooled.wrappedBuffer(junk));
        assertThat(failure(client)).isInstanceOf(HandshakeException.class);
        assertThat(wire.initiator.isOpen()).isFalse();
    }

    @Test
    void truncatedHandshakeThenCloseFailsWithHandshakeException() {
        var client = dial(new TlsSecurity(), alice, Optional.empty(), List.of());
        var server = accept(new TlsSecurity(), bob, List.of());
        List<ByteBuf> hello = ChannelPair.drain(wire.initiator);
        ByteBuf first = hello.get(0);
        wire.responder.writeInbound(first.retainedSlice(0, first.readableBytes() / 2));
        hello.forEach(ByteBuf::release);
        assertThat(server).isNotDone();
        wire.responder.close();
        assertThat(failure(server)).isInstanceOf(HandshakeException.class);
        wire.initiator.close();
        assertThat(failure(client)).isInstanceOf(HandshakeException.class).hasMessageContaining("closed");
    }

    @Test
    void bytesSentRightAfterTheHandshakeReachTheHandlerAddedOnCompletion() {
        var client = dial(new TlsSecurity(), alice, Optional.of(bobId), List.of(YAMUX));
        var server = accept(new TlsSecurity(), bob, List.of(YAMUX));
        StringBuilder seen = new StringBuilder();
        server.thenAccept(s -> wire.responder.pipeline().addLast(new io.netty.channel.ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
                ByteBuf b = (ByteBuf) msg;
                seen.append(b.toString(StandardCharsets.UTF_8));
                b.release();
            }
        }));
        // the client completes first (TLS 1.3) and writes at once; its Finished and the data travel together
        client.thenAccept(s -> wire.initiator.writeAndFlush(Unpooled.copiedBuffer("early", StandardCharsets.UTF_8)));
        ChannelPair.transfer(wire.initiator, wire.responder); // ClientHello
        ChannelPair.transfer(wire.responder, wire.initiator); // ServerHello ... Finished
        assertThat(client).isCompleted();
        ChannelPair.transferMerged(wire.initiator, wire.responder); // Certificate, Finished, "early" in one read
        assertThat(server).isCompleted();
        assertThat(seen.toString()).isEqualTo("early");
        wire.pump();
    }

    private TlsCertificate.Issued badCertificate(String kind, PrivKey key) {
        java.time.Instant now = java.time.Instant.now();
        CertificateForge forge = CertificateForge.forIdentity(key);
        return switch (kind) {
            case "no-extension" -> forge.withoutExtension().issue();
            case "bad-signature" -> forge.extensionSignedBy(Keys.generateEd25519()).issue();
            case "other-spki" -> forge.extensionSignsSpki(TlsCertificate.newCertificateKey().getPublic().getEncoded()).issue();
            case "expired" -> forge.validity(now.minusSeconds(7200), now.minusSeconds(3600)).issue();
            case "not-yet-valid" -> forge.validity(now.plusSeconds(3600), now.plusSeconds(7200)).issue();
            case "two-certs" -> {
                TlsCertificate.Issued one = forge.issue();
                yield new TlsCertificate.Issued(List.of(one.certificate(), TlsCertificate.issue(key).certificate()), one.privateKey());
            }
            case "critical-ext" -> forge.extraExtension("1.2.3.4.5", true, new byte[] {1}).issue();
            case "sha1" -> forge.signatureAlgorithm("SHA1withECDSA").issue();
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private void assertRoundTrip(String fromClient, String fromServer) {
        wire.initiator.writeAndFlush(Unpooled.copiedBuffer(fromClient, StandardCharsets.UTF_8));
        wire.responder.writeAndFlush(Unpooled.copiedBuffer(fromServer, StandardCharsets.UTF_8));
        wire.pump();
        assertThat(new String(ChannelPair.readInboundBytes(wire.responder), StandardCharsets.UTF_8)).isEqualTo(fromClient);
        assertThat(new String(ChannelPair.readInboundBytes(wire.initiator), StandardCharsets.UTF_8)).isEqualTo(fromServer);
    }

    private static Throwable failure(CompletableFuture<?> future) {
        assertThat(future).isCompletedExceptionally();
        return future.exceptionNow();
    }

    private static List<String> list(String csv) {
        return csv.isBlank() ? List.of() : List.of(csv.split(","));
    }
}
