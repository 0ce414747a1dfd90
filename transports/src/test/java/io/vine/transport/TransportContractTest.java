package io.vine.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.vine.core.DialException;
import io.vine.core.Transport;
import io.vine.core.TransportListener;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.peer.PeerId;
import io.vine.core.crypto.Keys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link Transport} must do, written once. A subclass names the transport and the address
 * to listen on (with the port or number 0); it may override {@link #newGroup()} to run on other event
 * loops.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class TransportContractTest {
    private static final long WAIT = 10;

    private final Supplier<Transport> factory;
    private final Multiaddr listenAddress;
    protected Transport transport;
    protected EventLoopGroup group;
    private final List<TransportListener> listeners = new ArrayList<>();
    private final List<Channel> channels = new ArrayList<>();

    protected TransportContractTest(Supplier<Transport> factory, String listenAddress) {
        this.factory = factory;
        this.listenAddress = Multiaddr.parse(listenAddress);
    }

    /** The event loops the tests give the transport; NIO unless overridden. */
    protected EventLoopGroup newGroup() {
        return new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("contract-io", true), NioIoHandler.newFactory());
    }

    /** Whether the transport's channels support {@code shutdownOutput}. */
    protected boolean supportsHalfClose() {
        return false;
    }

    @BeforeEach
    void setUp() {
        transport = factory.get();
        group = newGroup();
    }

    @AfterEach
    void tearDown() {
        channels.forEach(Channel::close);
        listeners.forEach(l -> l.close().join());
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    protected TransportListener listen(ChannelHandler initializer) {
        TransportListener l = transport.listen(group, listenAddress, initializer).orTimeout(WAIT, TimeUnit.SECONDS).join();
        listeners.add(l);
        return l;
    }

    protected Channel dial(Multiaddr address, ChannelHandler initializer) {
        Channel ch = transport.dial(group, address, initializer).orTimeout(WAIT, TimeUnit.SECONDS).join();
        channels.add(ch);
        return ch;
    }

    private Channel accepted(Wires.Recorder recorder) throws InterruptedException {
        Channel ch = recorder.active.poll(WAIT, TimeUnit.SECONDS);
        assertThat(ch).as("accepted channel").isNotNull();
        channels.add(ch);
        return ch;
    }

    private static <T> T await(CompletableFuture<T> f) {
        return f.orTimeout(WAIT, TimeUnit.SECONDS).join();
    }

    @Test
    void listenResolvesARealAddress() {
        TransportListener l = listen(new Wires.Echo());
        Multiaddr bound = l.localAddress();
        assertThat(bound).isNotEqualTo(listenAddress);
        assertThat(bound.components()).hasSameSizeAs(listenAddress.components());
        assertThat(transport.canListen(listenAddress)).isTrue();
        assertThat(transport.canDial(bound)).isTrue();
        PeerId someone = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
        assertThat(transport.canDial(bound.withPeerId(someone))).as("a trailing /p2p is ignored").isTrue();
    }

    @Test
    void refusesAddressesOfOtherTransports() {
        for (String other : List.of("/ip4/127.0.0.1/udp/1/quic-v1", "/dns4/localhost/udp/1", "/ip4/127.0.0.1",
                "/ip4/127.0.0.1/tcp/1/ws", "/unix/tmp/x")) {
            Multiaddr a = Multiaddr.parse(other);
            if (a.components().equals(listenAddress.components())) {
                continue;
            }
            assertThat(transport.canDial(a)).as("canDial " + other).isFalse();
            assertThat(transport.canListen(a)).as("canListen " + other).isFalse();
            assertThatThrownBy(() -> transport.dial(group, a, new Wires.Echo()).join())
                    .isInstanceOf(CompletionException.class).hasCauseInstanceOf(DialException.class);
        }
    }

    @Test
    void dialConnectsAndBothEndsAgreeOnAddresses() throws Exception {
        Wires.Recorder server = new Wires.Recorder();
        TransportListener l = listen(server);
        Channel client = dial(l.localAddress(), new Wires.Recorder());
        Channel accepted = accepted(server);
        assertThat(client.isActive()).isTrue();
        assertThat(transport.remoteAddress(client)).isEqualTo(l.localAddress());
        assertThat(transport.localAddress(accepted)).isEqualTo(l.localAddress());
        assertThat(transport.remoteAddress(accepted)).isEqualTo(transport.localAddress(client));
    }

    @Test
    void bytesFlowBothWays() throws Exception {
        TransportListener l = listen(new Wires.Recorder(new Wires.Echo()));
        byte[] payload = new byte[1 << 20];
        new Random(7).nextBytes(payload);
        Wires.Collector collector = new Wires.Collector(payload.length);
        Channel client = dial(l.localAddress(), collector);
        for (int off = 0; off < payload.length; off += 16 * 1024) {
            client.write(Unpooled.wrappedBuffer(payload, off, 16 * 1024));
        }
        client.flush();
        assertThat(await(collector.received)).isEqualTo(payload);
    }

    @Test
    void manyConnectionsAtOnce() {
        TransportListener l = listen(new Wires.Echo());
        int n = 64;
        List<Wires.Collector> collectors = new ArrayList<>();
        List<CompletableFuture<Channel>> dials = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Wires.Collector c = new Wires.Collector(8);
            collectors.add(c);
            dials.add(transport.dial(group, l.localAddress(), c));
        }
        for (int i = 0; i < n; i++) {
            Channel ch = await(dials.get(i));
            channels.add(ch);
            ch.writeAndFlush(Unpooled.copiedBuffer(String.format("conn%04d", i), StandardCharsets.US_ASCII));
        }
        for (int i = 0; i < n; i++) {
            assertThat(new String(await(collectors.get(i).received), StandardCharsets.US_ASCII))
                    .isEqualTo(String.format("conn%04d", i));
        }
    }

    @Test
    void closedListenerStopsAcceptingButKeepsItsConnections() {
        TransportListener l = listen(new Wires.Echo());
        Wires.Collector collector = new Wires.Collector(5);
        Channel client = dial(l.localAddress(), collector);
        await(l.close());
        // A process another thread forks in that instant holds a copy of the listening socket until it
        // execs (seen in CI: the dial connected, then was reset): dials must fail from then on.
        Throwable refused = null;
        for (int i = 0; i < 20 && refused == null; i++) {
            CompletableFuture<Channel> again = transport.dial(group, l.localAddress(), new Wires.Echo());
            try {
                await(again).close();
                Thread.sleep(100);
            } catch (CompletionException e) {
                refused = e.getCause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        assertThat(refused).isInstanceOf(DialException.class);
        client.writeAndFlush(Unpooled.copiedBuffer("after", StandardCharsets.US_ASCII));
        assertThat(await(collector.received)).isEqualTo("after".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void dialToNothingFailsQuicklyWithTheAddress() {
        TransportListener l = listen(new Wires.Echo());
        Multiaddr gone = l.localAddress();
        await(l.close());
        long start = System.nanoTime();
        CompletableFuture<Channel> f = transport.dial(group, gone, new Wires.Echo());
        assertThatThrownBy(() -> await(f)).isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(DialException.class).hasMessageContaining(gone.toString());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void closeReachesTheOtherEnd() throws Exception {
        BlockingQueue<Wires.Collector> serverSides = new LinkedBlockingQueue<>();
        Wires.Recorder server = new Wires.Recorder(() -> {
            Wires.Collector c = new Wires.Collector(1);
            serverSides.add(c);
            return c;
        });
        TransportListener l = listen(server);
        Wires.Collector clientSide = new Wires.Collector(1);
        Channel client = dial(l.localAddress(), clientSide);
        Channel accepted = accepted(server);
        Wires.Collector serverSide = serverSides.poll(WAIT, TimeUnit.SECONDS);
        client.close();
        await(serverSide.inputClosed);
        assertThat(accepted.closeFuture().await(WAIT, TimeUnit.SECONDS)).isTrue();
        await(clientSide.inputClosed);

        Wires.Collector clientSide2 = new Wires.Collector(1);
        Channel client2 = dial(l.localAddress(), clientSide2);
        accepted(server).close();
        await(clientSide2.inputClosed);
        assertThat(client2.closeFuture().await(WAIT, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void halfCloseReachesTheOtherEnd() throws Exception {
        Wires.Collector serverSide = new Wires.Collector(2);
        Wires.Recorder server = new Wires.Recorder(serverSide);
        TransportListener l = listen(server);
        Channel client = dial(l.localAddress(), new Wires.Echo());
        assumeTrue(supportsHalfClose(), transport.name() + " has no half-close");
        assertThat(client).isInstanceOf(DuplexChannel.class);
        client.writeAndFlush(Unpooled.copiedBuffer("hi", StandardCharsets.US_ASCII));
        ((DuplexChannel) client).shutdownOutput().sync();
        assertThat(await(serverSide.received)).isEqualTo("hi".getBytes(StandardCharsets.US_ASCII));
        await(serverSide.inputClosed);
    }

    @Test
    void initializerIsInThePipelineBeforeChannelActive() throws Exception {
        Wires.Recorder server = new Wires.Recorder();
        TransportListener l = listen(server);
        Wires.Recorder dialer = new Wires.Recorder();
        Channel client = dial(l.localAddress(), dialer);
        Channel accepted = accepted(server);
        assertThat(dialer.active.poll(WAIT, TimeUnit.SECONDS)).isSameAs(client);
        assertThat(dialer.events.get(client)).containsExactly("added", "active");
        assertThat(server.events.get(accepted)).containsExactly("added", "active");
        assertThat(client.pipeline().toMap().containsValue(dialer)).isTrue();
    }

    @Test
    void failuresAreFuturesNotThrows() {
        CompletableFuture<Channel> badDial = transport.dial(group, Multiaddr.parse("/ip4/127.0.0.1/udp/9"), new Wires.Echo());
        assertThat(badDial).isCompletedExceptionally();
        CompletableFuture<TransportListener> badListen = transport.listen(group, Multiaddr.parse("/ip4/127.0.0.1/udp/9"),
                new Wires.Echo());
        assertThat(badListen).isCompletedExceptionally();
        assertThatThrownBy(() -> transport.dial(null, listenAddress, new Wires.Echo())).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> transport.dial(group, listenAddress, null)).isInstanceOf(NullPointerException.class);
    }
}
