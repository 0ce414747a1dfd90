package io.vine.core;

import io.netty.channel.Channel;
import java.util.concurrent.CompletableFuture;

/**
 * A connection security protocol (noise, tls, plaintext), negotiated with multistream-select on a raw
 * connection.
 */
public interface SecurityProtocol {

    /** The multistream-select protocol id, e.g. "/noise". */
    String protocolId();

    /**
     * Adds the handshake handlers at the end of {@code channel}'s pipeline and starts the handshake.
     * Called on the channel's event loop, while multistream-select is still in the pipeline: bytes it
     * read past the negotiation reach the new handlers right after this returns.
     *
     * <p>When the handshake completes, the pipeline ends with the record layer (bytes written after
     * it are encrypted; bytes read are decrypted), and the future completes on the event loop with
     * the session, before any application bytes are passed on. It fails with a {@link
     * HandshakeException} ({@link PeerIdMismatchException} when {@code context.expectedRemote()}
     * does not match).
     */
    CompletableFuture<SecureSession> secure(Channel channel, SecurityContext context);
}
