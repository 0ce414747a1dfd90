package io.vine.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.vine.core.DialException;
import io.vine.core.TransportListener;
import io.vine.core.VineException;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.transport.Wires;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TcpTransportTest {
    private final EventLoopGroup group = TcpTransport.defaultGroup(2);
    private final TcpTransport tcp = new TcpTransport();

    @AfterEach
    void tearDown() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static <T> T await(CompletableFuture<T> f) {
        return f.orTimeout(10, TimeUnit.SECONDS).join();
    }

    private TransportListener echoServer(TcpTransport transport) {
        return await(transport.listen(group, Multiaddr.parse("/ip4/127.0.0.1/tcp/0"), new Wires.Echo()));
    }

    private void assertEchoes(Channel ch, Wires.Collector collector) {
        ch.writeAndFlush(Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII));
        assertThat(await(collector.received)).isEqualTo("hello".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void addressesItUnderstands() {
        for (String yes : List.of("/ip4/127.0.0.1/tcp/1", "/ip6/::1/tcp/1", "/dns/example.com/tcp/443",
                "/dns4/a/tcp/1", "/dns6/a/tcp/1", "/ip4/1.2.3.4/tcp/1/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA")) {
            assertThat(tcp.canDial(Multiaddr.parse(yes))).as(yes).isTrue();
        }
        assertThat(tcp.canListen(Multiaddr.parse("/ip4/0.0.0.0/tcp/0"))).isTrue();
        assertThat(tcp.canListen(Multiaddr.parse("/dns4/localhost/tcp/0"))).as("names are not listened on").isFalse();
        for (String no : List.of("/ip4/1.2.3.4/udp/1", "/memory/1", "/ip4/1.2.3.4/tcp/1/ws", "/tcp/1",
                "/dnsaddr/example.com/tcp/1", "/ip6zone/eth0/ip6/fe80::1/tcp/1")) {
            assertThat(tcp.canDial(Multiaddr.parse(no))).as(no).isFalse();
        }
    }

    @Test
    void dialsNamesResolvedToTheFamilyAsked() {
        TransportListener l = echoServer(tcp);
        String port = l.localAddress().value(io.vine.core.multiaddr.MultiaddrProtocol.TCP).orElseThrow();
        for (String name : List.of("/dns4/localhost/tcp/", "/dns/localhost/tcp/")) {
            Wires.Collector c = new Wires.Collector(5);
            Channel ch = await(tcp.dial(group, Multiaddr.parse(name + port), c));
            assertThat(tcp.remoteAddress(ch)).isEqualTo(l.localAddress());
            assertEchoes(ch, c);
            ch.close();
        }
        await(l.close());
    }

    @Test
    void triesEveryResolvedAddressAndSpendsTheInitializerOnlyOnTheOneThatConnects() throws Exception {
        TransportListener l = echoServer(tcp);
        InetSocketAddress live = l.localAddress().toSocketAddress().orElseThrow();
        int dead;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = s.getLocalPort();
        }
        Wires.Recorder recorder = new Wires.Recorder(new Wires.Collector(5));
        // Recorder is @Sharable; a non-sharable initializer is exercised by the swarm tests.
        Channel ch = await(tcp.connectAny(group, TcpChannels.kindOf(group), Multiaddr.parse("/dns/test/tcp/1"), recorder,
                List.of(new InetSocketAddress(live.getAddress(), dead), live)));
        assertThat(recorder.active.poll(10, TimeUnit.SECONDS)).isSameAs(ch);
        assertThat(recorder.events).hasSize(1);
        assertThat(recorder.events.get(ch)).containsExactly("added", "active");

        Wires.Collector once = new Wires.Collector(5);
        Channel ch2 = await(tcp.connectAny(group, TcpChannels.kindOf(group), Multiaddr.parse("/dns/test/tcp/1"), once,
                List.of(new InetSocketAddress(live.getAddress(), dead), new InetSocketAddress(live.getAddress(), dead), live)));
        assertEchoes(ch2, once);
        ch.close();
        ch2.close();
        await(l.close());
    }

    @Test
    void allAddressesFailingIsADialExceptionWithTheAddress() throws Exception {
        int dead;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = s.getLocalPort();
        }
        Multiaddr a = Multiaddr.parse("/dns4/localhost/tcp/" + dead);
        assertThatThrownBy(() -> await(tcp.dial(group, a, new Wires.Echo())))
                .cause().isInstanceOf(DialException.class).hasMessageContaining(a.toString());
    }

    @Test
    void listeningOnAPortInUseIsAClearError() {
        TransportListener l = echoServer(tcp);
        CompletableFuture<TransportListener> again = tcp.listen(group, l.localAddress(), new Wires.Echo());
        assertThatThrownBy(() -> await(again)).isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(VineException.class)
                .hasMessageContaining("listen " + l.localAddress() + " failed");
        await(l.close());
        // Closed: the port is free again (SO_REUSEADDR on the listener).
        TransportListener l2 = await(tcp.listen(group, l.localAddress(), new Wires.Echo()));
        assertThat(l2.localAddress()).isEqualTo(l.localAddress());
        await(l2.close());
    }

    @Test
    void reusePortLetsTwoSocketsShareAPort() {
        TcpTransport shared = new TcpTransport(TcpConfig.DEFAULT.withReusePort(true));
        TransportListener a = echoServer(shared);
        TransportListener b = await(shared.listen(group, a.localAddress(), new Wires.Echo()));
        assertThat(b.localAddress()).isEqualTo(a.localAddress());
        Wires.Collector c = new Wires.Collector(5);
        Channel ch = await(shared.dial(group, a.localAddress(), c));
        assertEchoes(ch, c);
        ch.close();
        await(a.close());
        await(b.close());
    }

    @Test
    void reusePortDialsLeaveFromTheListeningPort() {
        TcpTransport a = new TcpTransport(TcpConfig.DEFAULT.withReusePort(true));
        TcpTransport b = new TcpTransport(TcpConfig.DEFAULT.withReusePort(true));
        TransportListener la = echoServer(a);
        TransportListener lb = echoServer(b);
        int portA = la.localAddress().toSocketAddress().orElseThrow().getPort();
        Wires.Collector c = new Wires.Collector(5);
        Channel ch = await(a.dial(group, lb.localAddress(), c));
        assertThat(((InetSocketAddress) ch.localAddress()).getPort()).isEqualTo(portA);
        assertEchoes(ch, c);
        // The same 4-tuple is taken now: a second dial falls back to an ephemeral port and still works.
        Wires.Collector c2 = new Wires.Collector(5);
        Channel ch2 = await(a.dial(group, lb.localAddress(), c2));
        assertThat(((InetSocketAddress) ch2.localAddress()).getPort()).isNotEqualTo(portA);
        assertEchoes(ch2, c2);
        // Without SO_REUSEPORT dials take an ephemeral port.
        Wires.Collector c3 = new Wires.Collector(5);
        Channel ch3 = await(tcp.dial(group, lb.localAddress(), c3));
        assertThat(((InetSocketAddress) ch3.localAddress()).getPort()).isNotEqualTo(portA);
        ch.close();
        ch2.close();
        ch3.close();
        await(la.close());
        // Once the listener is closed, its port is no longer used for dials.
        Wires.Collector c4 = new Wires.Collector(5);
        Channel ch4 = await(a.dial(group, lb.localAddress(), c4));
        assertThat(((InetSocketAddress) ch4.localAddress()).getPort()).isNotEqualTo(portA);
        ch4.close();
        await(lb.close());
    }

    @Test
    void reusePortDialsLeaveFromAWildcardListenersPort() {
        // An operator listens on 0.0.0.0: a dial to an IPv4 peer must still leave from that port
        // (the channel may report the wildcard as the IPv6 one when the socket is dual-stack).
        TcpTransport a = new TcpTransport(TcpConfig.DEFAULT.withReusePort(true));
        TransportListener la = await(a.listen(group, Multiaddr.parse("/ip4/0.0.0.0/tcp/0"), new Wires.Echo()));
        TransportListener lb = echoServer(tcp);
        int portA = la.localAddress().toSocketAddress().orElseThrow().getPort();
        Wires.Collector c = new Wires.Collector(5);
        Channel ch = await(a.dial(group, lb.localAddress(), c));
        assertThat(((InetSocketAddress) ch.localAddress()).getPort()).isEqualTo(portA);
        assertEchoes(ch, c);
        ch.close();
        await(la.close());
        await(lb.close());
    }

    @Test
    void socketOptionsFollowTheConfig() throws Exception {
        TcpTransport custom = new TcpTransport(TcpConfig.DEFAULT.withConnectTimeout(Duration.ofMillis(1500))
                .withWriteBufferWaterMark(1000, 2000));
        Wires.Recorder server = new Wires.Recorder();
        TransportListener l = await(custom.listen(group, Multiaddr.parse("/ip4/127.0.0.1/tcp/0"), server));
        Channel ch = await(custom.dial(group, l.localAddress(), new Wires.Echo()));
        Channel accepted = server.active.poll(10, TimeUnit.SECONDS);
        for (Channel c : List.of(ch, accepted)) {
            assertThat(c.config().getOption(ChannelOption.TCP_NODELAY)).isTrue();
            WriteBufferWaterMark marks = c.config().getOption(ChannelOption.WRITE_BUFFER_WATER_MARK);
            assertThat(marks.low()).isEqualTo(1000);
            assertThat(marks.high()).isEqualTo(2000);
        }
        assertThat(ch.config().getOption(ChannelOption.CONNECT_TIMEOUT_MILLIS)).isEqualTo(1500);
        ch.close();
        accepted.close();
        await(l.close());
    }

    @Test
    void defaultGroupIsEpollWhenAvailableElseNio() {
        IoEventLoopGroup io = (IoEventLoopGroup) group;
        if (Epoll.isAvailable()) {
            assertThat(io.isIoType(EpollIoHandler.class)).isTrue();
        } else {
            assertThat(io.isIoType(NioIoHandler.class)).isTrue();
        }
        TransportListener l = echoServer(tcp);
        Wires.Collector c = new Wires.Collector(5);
        Channel ch = await(tcp.dial(group, l.localAddress(), c));
        assertThat(ch).isInstanceOf(Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class);
        assertEchoes(ch, c);
        ch.close();
        await(l.close());
    }

    @Test
    void epollGroupGetsEpollSockets() {
        assumeTrue(Epoll.isAvailable(), "native epoll is not available here");
        EventLoopGroup epoll = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            TransportListener l = await(tcp.listen(epoll, Multiaddr.parse("/ip4/127.0.0.1/tcp/0"), new Wires.Echo()));
            Wires.Collector c = new Wires.Collector(5);
            Channel ch = await(tcp.dial(epoll, l.localAddress(), c));
            assertThat(ch).isInstanceOf(EpollSocketChannel.class);
            assertEchoes(ch, c);
            ch.close();
            await(l.close());
        } finally {
            epoll.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void aGroupThatCannotHostSocketsIsRefused() {
        EventLoopGroup local = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
        try {
            assertThatThrownBy(() -> await(tcp.dial(local, Multiaddr.parse("/ip4/127.0.0.1/tcp/1"), new Wires.Echo())))
                    .cause().isInstanceOf(DialException.class).hasMessageContaining("NioIoHandler or EpollIoHandler");
            assertThatThrownBy(() -> await(tcp.listen(local, Multiaddr.parse("/ip4/127.0.0.1/tcp/0"), new Wires.Echo())))
                    .cause().isInstanceOf(IllegalArgumentException.class);
        } finally {
            local.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void ipv6Loopback() {
        TransportListener l;
        try {
            l = await(tcp.listen(group, Multiaddr.parse("/ip6/::1/tcp/0"), new Wires.Echo()));
        } catch (CompletionException e) {
            assumeTrue(false, "no IPv6 loopback here: " + e.getCause());
            return;
        }
        assertThat(l.localAddress().toString()).startsWith("/ip6/::1/tcp/");
        Wires.Collector c = new Wires.Collector(5);
        Channel ch = await(tcp.dial(group, l.localAddress(), c));
        assertThat(tcp.remoteAddress(ch)).isEqualTo(l.localAddress());
        assertEchoes(ch, c);
        ch.close();
        await(l.close());
    }

    @Test
    void configIsValidated() {
        assertThatThrownBy(() -> TcpConfig.DEFAULT.withConnectTimeout(Duration.ZERO))
                .hasMessage("connectTimeout: PT0S (expected: > 0)");
        assertThatThrownBy(() -> TcpConfig.DEFAULT.withWriteBufferWaterMark(0, 10))
                .hasMessage("writeBufferLow: 0 (expected: > 0)");
        assertThatThrownBy(() -> TcpConfig.DEFAULT.withWriteBufferWaterMark(10, 5))
                .hasMessage("writeBufferHigh: 5 (expected: >= writeBufferLow 10)");
        assertThatThrownBy(() -> TcpTransport.defaultGroup(-1)).hasMessage("threads: -1 (expected: >= 0)");
        assertThatThrownBy(() -> new TcpTransport(null)).isInstanceOf(NullPointerException.class);
    }
}
