package io.vine.transport.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.vine.core.DialException;
import io.vine.core.TransportListener;
import io.vine.core.VineException;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.transport.Wires;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MemoryTransportTest {
    private final MemoryTransport memory = new MemoryTransport();
    private final EventLoopGroup nio = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

    @AfterEach
    void tearDown() {
        nio.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static <T> T await(CompletableFuture<T> f) {
        return f.orTimeout(10, TimeUnit.SECONDS).join();
    }

    @Test
    void addressesItUnderstands() {
        assertThat(memory.canDial(Multiaddr.parse("/memory/1"))).isTrue();
        assertThat(memory.canListen(Multiaddr.parse("/memory/0"))).isTrue();
        assertThat(memory.canDial(Multiaddr.parse("/memory/18446744073709551615"))).isTrue();
        assertThat(memory.canDial(Multiaddr.parse("/memory/1/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA")))
                .isTrue();
        assertThat(memory.canDial(Multiaddr.parse("/ip4/127.0.0.1/tcp/1"))).isFalse();
        assertThat(memory.canDial(Multiaddr.parse("/memory/1/memory/2"))).isFalse();
    }

    @Test
    void explicitNumbersAreExclusiveUntilClosed() {
        Multiaddr a = Multiaddr.parse("/memory/4242");
        TransportListener l = await(memory.listen(nio, a, new Wires.Echo()));
        assertThat(l.localAddress()).isEqualTo(a);
        assertThatThrownBy(() -> await(memory.listen(nio, a, new Wires.Echo())))
                .isInstanceOf(CompletionException.class).cause().isInstanceOf(VineException.class)
                .hasMessage("listen /memory/4242 failed: /memory/4242 is in use");
        await(l.close());
        TransportListener again = await(memory.listen(nio, a, new Wires.Echo()));
        await(again.close());
    }

    @Test
    void theLargestNumberWorks() {
        Multiaddr a = Multiaddr.parse("/memory/18446744073709551615");
        TransportListener l = await(memory.listen(nio, a, new Wires.Echo()));
        Wires.Collector c = new Wires.Collector(2);
        Channel ch = await(memory.dial(nio, a, c));
        assertThat(memory.remoteAddress(ch)).isEqualTo(a);
        ch.writeAndFlush(Unpooled.copiedBuffer("hi", StandardCharsets.US_ASCII));
        assertThat(await(c.received)).isEqualTo("hi".getBytes(StandardCharsets.US_ASCII));
        ch.close();
        await(l.close());
    }

    @Test
    void zeroPicksDistinctFreeNumbers() {
        TransportListener a = await(memory.listen(nio, Multiaddr.parse("/memory/0"), new Wires.Echo()));
        TransportListener b = await(memory.listen(nio, Multiaddr.parse("/memory/0"), new Wires.Echo()));
        assertThat(a.localAddress()).isNotEqualTo(b.localAddress()).isNotEqualTo(Multiaddr.parse("/memory/0"));
        await(a.close());
        await(b.close());
    }

    @Test
    void dialingAnUnboundNumberFails() {
        assertThatThrownBy(() -> await(memory.dial(nio, Multiaddr.parse("/memory/77"), new Wires.Echo())))
                .cause().isInstanceOf(DialException.class).hasMessageContaining("/memory/77");
    }

    @Test
    void dialedEndsHaveNumbersOfTheirOwnThatAreFreedOnClose() throws Exception {
        Wires.Recorder server = new Wires.Recorder();
        TransportListener l = await(memory.listen(nio, Multiaddr.parse("/memory/0"), server));
        Channel a = await(memory.dial(nio, l.localAddress(), new Wires.Echo()));
        Channel b = await(memory.dial(nio, l.localAddress(), new Wires.Echo()));
        Multiaddr localA = memory.localAddress(a);
        assertThat(localA).isNotEqualTo(memory.localAddress(b)).isNotEqualTo(l.localAddress());
        a.close().sync();
        // The number is free: a listener may take it now.
        TransportListener reuse = await(memory.listen(nio, localA, new Wires.Echo()));
        await(reuse.close());
        b.close();
        await(l.close());
    }

    @Test
    void aNioGroupIsReplacedByTheSharedLocalGroup() {
        TransportListener l = await(memory.listen(nio, Multiaddr.parse("/memory/0"), new Wires.Echo()));
        Channel ch = await(memory.dial(nio, l.localAddress(), new Wires.Echo()));
        assertThat(contains(nio, ch.eventLoop())).isFalse();
        assertThat(MemoryTransport.groupFor(nio)).isSameAs(MemoryTransport.groupFor(nio));
        ch.close();
        await(l.close());
    }

    @Test
    void aLocalGroupIsUsedAsGiven() {
        EventLoopGroup local = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
        try {
            Wires.Recorder server = new Wires.Recorder();
            TransportListener l = await(memory.listen(local, Multiaddr.parse("/memory/0"), server));
            Channel ch = await(memory.dial(local, l.localAddress(), new Wires.Echo()));
            assertThat(contains(local, ch.eventLoop())).isTrue();
            ch.close();
            await(l.close());
        } finally {
            local.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void addressesOfForeignChannelsAreRefused() {
        Channel ch = new io.netty.channel.embedded.EmbeddedChannel();
        assertThatThrownBy(() -> memory.remoteAddress(ch)).isInstanceOf(IllegalStateException.class);
        ch.close();
    }

    private static boolean contains(EventLoopGroup group, EventLoop loop) {
        return StreamSupport.stream(group.spliterator(), false).anyMatch(e -> e == loop);
    }

    @Test
    void numbersOfClosedConnectionsAndListenersAreReleased() throws Exception {
        int before = MemoryAddresses.taken();
        TransportListener l = await(memory.listen(nio, Multiaddr.parse("/memory/0"), new Wires.Echo()));
        for (int i = 0; i < 200; i++) {
            Channel ch = await(memory.dial(nio, l.localAddress(), new Wires.Echo()));
            ch.close().sync();
        }
        assertThat(memory.dial(nio, Multiaddr.parse("/memory/78"), new Wires.Echo())).failsWithin(5, TimeUnit.SECONDS);
        await(l.close());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (MemoryAddresses.taken() != before && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(MemoryAddresses.taken()).isEqualTo(before);
    }
}
