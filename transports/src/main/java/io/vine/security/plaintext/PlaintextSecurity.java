package io.vine.security.plaintext;

import static java.util.Objects.requireNonNull;

import io.netty.channel.Channel;
import io.vine.core.SecureSession;
import io.vine.core.SecurityContext;
import io.vine.core.SecurityProtocol;
import java.util.concurrent.CompletableFuture;

/**
 * The insecure {@value #PROTOCOL_ID} channel, for tests and debugging only: both sides send their
 * peer id and public key, check that the remote's id is derived from its key (and is the expected
 * one), and then exchange bytes as they are: no encryption, no authentication.
 */
public final class PlaintextSecurity implements SecurityProtocol {
    /** The multistream-select protocol id of plaintext 2.0.0. */
    public static final String PROTOCOL_ID = "/plaintext/2.0.0";

    /** The default bound on the size of the remote's Exchange message. */
    public static final int DEFAULT_MAX_EXCHANGE_SIZE = 4096;

    private final int maxExchangeSize;

    /** A plaintext protocol that accepts Exchange messages of up to {@value #DEFAULT_MAX_EXCHANGE_SIZE} bytes. */
    public PlaintextSecurity() {
        this(DEFAULT_MAX_EXCHANGE_SIZE);
    }

    /**
     * A plaintext protocol that accepts Exchange messages of up to {@code maxExchangeSize} bytes (RSA
     * keys need more than the default).
     */
    public PlaintextSecurity(int maxExchangeSize) {
        if (maxExchangeSize <= 0) {
            throw new IllegalArgumentException("maxExchangeSize: " + maxExchangeSize + " (expected: > 0)");
        }
        this.maxExchangeSize = maxExchangeSize;
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
        channel.pipeline().addLast(new PlaintextHandshakeHandler(context, maxExchangeSize, result));
        return result;
    }
}
