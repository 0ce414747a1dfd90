package io.vine.protocol.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.vine.core.Connection;
import io.vine.core.StreamChannel;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.multiaddr.MultiaddrProtocol;
import io.vine.protocol.identify.Identify;
import io.vine.protocol.identify.IdentifyInfo;
import io.vine.protocol.ping.Ping;
import io.vine.swarm.Swarm;
import io.vine.testkit.EchoProtocol;
import io.vine.testkit.TestSwarms;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A reserves on R, B dials A through R: the relayed connection carries ping, identify and bulk data. */
class RelayCircuitTest {

    @Test
    void streamsFlowBothWaysThroughTheRelayOverMemory() {
        circuit(false);
    }

    @Test
    void streamsFlowBothWaysThroughTheRelayOverTcp() {
        circuit(true);
    }

    private void circuit(boolean tcp) {
        RelayService service = new RelayService(RelayConfig.builder().circuitBytes(16 << 20).build());
        try (RelayFixture f = new RelayFixture()) {
            Swarm r = f.relay(service, tcp);
            Swarm a = f.client(new RelayTransport(), tcp);
            Swarm b = f.client(new RelayTransport(), tcp);
            Multiaddr circuit = RelayFixture.reserve(a, r);
            assertThat(circuit.toString()).isEqualTo(TestSwarms.address(r) + "/p2p-circuit/p2p/" + a.localPeer());
            assertThat(a.listenAddresses()).contains(circuit.withoutPeerId());
            assertThat(service.metrics().reservationsAccepted()).isEqualTo(1);
            assertThat(service.metrics().reservationsActive()).isEqualTo(1);

            Connection c = b.dial(circuit).orTimeout(10, TimeUnit.SECONDS).join();
            assertThat(c.remotePeer()).isEqualTo(a.localPeer());
            assertThat(c.remoteAddress()).isEqualTo(circuit.withoutPeerId());
            assertThat(c.localAddress().has(MultiaddrProtocol.P2P_CIRCUIT)).isTrue();
            RelayFixture.await(() -> a.connections(b.localPeer()).stream()
                    .anyMatch(x -> x.remoteAddress().has(MultiaddrProtocol.P2P_CIRCUIT)), "A registers the relayed connection");

            List<Duration> rtts = Ping.ping(b, a.localPeer(), 3).orTimeout(10, TimeUnit.SECONDS).join();
            assertThat(rtts).hasSize(3);
            List<Duration> back = Ping.ping(a, b.localPeer(), 2).orTimeout(10, TimeUnit.SECONDS).join();
            assertThat(back).hasSize(2);
            IdentifyInfo info = Identify.identify(b, a.localPeer()).orTimeout(10, TimeUnit.SECONDS).join();
            assertThat(io.vine.core.peer.PeerId.fromPublicKey(info.publicKey())).isEqualTo(a.localPeer());

            byte[] payload = new byte[1 << 20];
            new Random(7).nextBytes(payload);
            assertThat(echo(c, payload)).isEqualTo(payload);

            RelayMetrics m = service.metrics();
            assertThat(m.circuitsOpened()).isEqualTo(1);
            assertThat(m.circuitsActive()).isEqualTo(1);
            assertThat(m.bytesRelayed()).isGreaterThan(2L * payload.length);

            c.close().join();
            RelayFixture.await(() -> service.metrics().circuitsActive() == 0, "the circuit closes");
            assertThat(service.metrics().closed(RelayMetrics.CloseReason.CLOSED)).isEqualTo(1);
        }
    }

    @Test
    void dialingAPeerWithoutAReservationFailsWithNoReservation() {
        RelayService service = new RelayService();
        try (RelayFixture f = new RelayFixture()) {
            Swarm r = f.relay(service, false);
            Swarm a = f.client(new RelayTransport(), false);
            Swarm b = f.client(new RelayTransport(), false);
            Multiaddr target = Multiaddr.parse(TestSwarms.address(r) + "/p2p-circuit/p2p/" + a.localPeer());
            assertThatThrownBy(() -> b.dial(target).orTimeout(10, TimeUnit.SECONDS).join())
                    .isInstanceOf(CompletionException.class)
                    .satisfies(e -> assertThat(status(e)).isEqualTo(RelayStatus.NO_RESERVATION));
            assertThat(service.metrics().circuitsRefused()).isEqualTo(1);
            // The relay still serves: A reserves, B gets through.
            Multiaddr circuit = RelayFixture.reserve(a, r);
            assertThat(b.dial(circuit, true).orTimeout(10, TimeUnit.SECONDS).join().remotePeer()).isEqualTo(a.localPeer());
        }
    }

    @Test
    void connectPolicyRefusalIsPermissionDenied() {
        RelayService service = new RelayService(RelayConfig.builder().connectPolicy((src, dst) -> false).build());
        try (RelayFixture f = new RelayFixture()) {
            Swarm r = f.relay(service, false);
            Swarm a = f.client(new RelayTransport(), false);
            Swarm b = f.client(new RelayTransport(), false);
            Multiaddr circuit = RelayFixture.reserve(a, r);
            assertThatThrownBy(() -> b.dial(circuit).orTimeout(10, TimeUnit.SECONDS).join())
                    .satisfies(e -> assertThat(status(e)).isEqualTo(RelayStatus.PERMISSION_DENIED));
        }
    }

    @Test
    void reservationPolicyRefusalIsPermissionDenied() {
        RelayService service = new RelayService(RelayConfig.builder().reservationPolicy(p -> false).build());
        try (RelayFixture f = new RelayFixture()) {
            Swarm r = f.relay(service, false);
            Swarm a = f.client(new RelayTransport(), false);
            assertThatThrownBy(() -> RelayFixture.reserve(a, r))
                    .satisfies(e -> assertThat(status(e)).isEqualTo(RelayStatus.PERMISSION_DENIED));
            assertThat(service.metrics().reservationsRefused()).isEqualTo(1);
            assertThat(a.listenAddresses()).noneMatch(x -> x.has(MultiaddrProtocol.P2P_CIRCUIT));
        }
    }

    /** Sends {@code payload} on a new echo stream, half-closes, and returns what came back. */
    static byte[] echo(Connection c, byte[] payload) {
        StreamChannel s = c.newStream(EchoProtocol.ID).orTimeout(10, TimeUnit.SECONDS).join();
        CompletableFuture<byte[]> done = new CompletableFuture<>();
        ByteBuf received = Unpooled.buffer();
        s.eventLoop().execute(() -> {
            s.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ByteBuf b = (ByteBuf) msg;
                    received.writeBytes(b);
                    b.release();
                }

                @Override
                public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                    if (evt instanceof ChannelInputShutdownEvent) {
                        byte[] out = new byte[received.readableBytes()];
                        received.readBytes(out);
                        done.complete(out);
                        ctx.close();
                    }
                }

                @Override
                public void channelInactive(ChannelHandlerContext ctx) {
                    done.completeExceptionally(new IllegalStateException("closed after " + received.readableBytes()));
                }
            });
            s.config().setAutoRead(true);
            s.writeAndFlush(Unpooled.wrappedBuffer(payload));
            s.shutdownOutput();
        });
        try {
            return done.orTimeout(20, TimeUnit.SECONDS).join();
        } finally {
            received.release();
        }
    }

    static RelayStatus status(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RelayException r && r.status().isPresent()) {
                return r.status().get();
            }
        }
        throw new AssertionError("no relay status in " + e, e);
    }
}
