package io.vine.core;

import io.vine.core.multiaddr.Multiaddr;
import java.util.concurrent.CompletableFuture;

/** A bound listener of a {@link Transport}. */
public interface TransportListener {

    /** The address actually bound, e.g. with the port the OS chose. */
    Multiaddr localAddress();

    /** Stops accepting; connections already accepted are not affected. */
    CompletableFuture<Void> close();
}
