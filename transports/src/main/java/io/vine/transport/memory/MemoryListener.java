package io.vine.transport.memory;

import io.netty.channel.Channel;
import io.vine.core.TransportListener;
import io.vine.core.multiaddr.Multiaddr;
import java.util.concurrent.CompletableFuture;

/** A bound {@code /memory/<n>}. Closing it leaves accepted connections open and frees the number. */
final class MemoryListener implements TransportListener {
    private final Channel server;
    private final Multiaddr address;

    MemoryListener(Channel server, long number) {
        this.server = server;
        this.address = MemoryAddresses.multiaddr(number);
    }

    @Override
    public Multiaddr localAddress() {
        return address;
    }

    @Override
    public CompletableFuture<Void> close() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        server.close().addListener(f -> done.complete(null));
        return done;
    }

    @Override
    public String toString() {
        return "MemoryListener(" + address + ")";
    }
}
