package io.vine.transport.tcp;

import io.netty.channel.Channel;
import io.vine.core.TransportListener;
import io.vine.core.multiaddr.Multiaddr;
import java.util.concurrent.CompletableFuture;

/** A bound TCP server socket. Closing it leaves accepted connections open. */
final class TcpListener implements TransportListener {
    private final Channel server;
    private final Multiaddr address;

    TcpListener(Channel server) {
        this.server = server;
        this.address = TcpAddresses.toMultiaddr(server.localAddress());
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
        return "TcpListener(" + address + ")";
    }
}
