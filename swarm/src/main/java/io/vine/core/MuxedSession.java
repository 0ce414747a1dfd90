package io.vine.core;

import java.util.concurrent.CompletableFuture;

/** The muxer side of one connection. Thread-safe: calls from off the event loop are handed to it. */
public interface MuxedSession {

    /**
     * Opens an outbound stream. Completes on the connection's event loop with the registered stream,
     * or fails with a {@link StreamException} (the remote's limit, GoAway received, connection closed)
     * or a {@link LimitExceededException}.
     */
    CompletableFuture<StreamChannel> openStream();

    /** Whether new streams may still be opened: false once either side said GoAway or the connection ended. */
    default boolean acceptsStreams() {
        return true;
    }

    /** Streams currently open in either direction. */
    int streamCount();

    /** Tells the remote no new streams will be accepted (yamux GoAway), then closes the connection. */
    CompletableFuture<Void> close();
}
