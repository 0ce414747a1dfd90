package io.vine.security.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.vine.core.SecureSession;
import io.vine.core.SecurityContext;
import io.vine.core.crypto.Keys;
import io.vine.security.ChannelPair;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** TLS between the two ends of a {@link ChannelPair}, for the record-layer tests. */
final class TlsOnChannelPair {
    private TlsOnChannelPair() {}

    /**
     * Starts TLS on both ends of {@code wire}, which allocate from {@code alloc}, without moving a
     * byte; returns the initiator's session (complete once the wire is pumped).
     */
    static CompletableFuture<SecureSession> start(ChannelPair wire, ByteBufAllocator alloc) {
        for (EmbeddedChannel ch : List.of(wire.initiator, wire.responder)) {
            ch.config().setAllocator(alloc);
        }
        TlsSecurity tls = new TlsSecurity();
        var client = tls.secure(wire.initiator, new SecurityContext(Keys.generateEd25519(), true, Optional.empty(), List.of()));
        tls.secure(wire.responder, new SecurityContext(Keys.generateEd25519(), false, Optional.empty(), List.of()));
        return client;
    }

    /** Starts TLS on both ends of {@code wire} and completes the handshake. */
    static void connect(ChannelPair wire, ByteBufAllocator alloc) {
        CompletableFuture<SecureSession> client = start(wire, alloc);
        wire.pump();
        assertThat(client).as("TLS handshake").isCompleted();
    }
}
