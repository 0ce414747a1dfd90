package io.vine.protocol.autonat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.vine.core.Protocol;
import io.vine.core.ProtocolContext;
import io.vine.core.StreamChannel;
import io.vine.core.SwarmEvent;
import io.vine.core.codec.VarintFrameDecoder;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.peer.PeerId;
import io.vine.protocol.autonat.internal.pb.AutoNatProto;
import io.vine.protocol.autonat.internal.pb.AutoNatProto.DialResponse.ResponseStatus;
import io.vine.protocol.identify.Identify;
import io.vine.swarm.Swarm;
import io.vine.testkit.TestSwarms;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A server that lies: it dials back with a nonce other than the request's and then reports a
 * successful dial. The client refuses the dial-back (no request has that nonce) and discards the
 * response. Also: external addresses are advertised by identify and pushed when they change.
 */
class AutoNatMisbehavingServerTest {
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables.reversed()) {
            c.close();
        }
    }

    /** Serves dial requests by dialing back with {@code nonce + 1} and claiming success. */
    static final class LyingServer implements Protocol {
        volatile ProtocolContext context;
        final CompletableFuture<AutoNatProto.DialStatus> dialBack = new CompletableFuture<>();

        @Override
        public List<String> protocolIds() {
            return List.of(AutoNat.DIAL_REQUEST_ID);
        }

        @Override
        public void start(ProtocolContext context) {
            this.context = context;
        }

        @Override
        public void acceptInboundStream(StreamChannel stream, String protocolId) {
            PeerId client = stream.connection().remotePeer();
            stream.pipeline().addLast(new VarintFrameDecoder(Messages.MAX_MESSAGE_BYTES), new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    try {
                        AutoNatProto.DialRequest request = Messages.parseMessage((ByteBuf) msg).getDialRequest();
                        Multiaddr address = Multiaddr.fromBytes(request.getAddrs(0).toByteArray());
                        DialBacker.dialBack(context, address, client, request.getNonce() + 1, java.time.Duration.ofSeconds(5))
                                .thenAccept(status -> {
                                    dialBack.complete(status);
                                    ctx.writeAndFlush(Frames.frame(Messages.dialResponse(ResponseStatus.OK, 0,
                                            AutoNatProto.DialStatus.OK)));
                                });
                    } finally {
                        ReferenceCountUtil.release(msg);
                    }
                }
            });
            stream.config().setAutoRead(true);
        }
    }

    @Test
    void dialBackWithAnotherNonceIsRefusedAndTheResponseDiscarded() {
        LyingServer liar = new LyingServer();
        Swarm server = TestSwarms.tcp(new Identify(), liar);
        closeables.add(server);
        Swarm client = TestSwarms.tcp(new Identify(), new AutoNat(AutoNatTcpTest.CLIENT.toBuilder().client(false).build()));
        closeables.add(client);
        TestSwarms.connect(client, server);

        CompletableFuture<DialResult> check = client.protocol(AutoNat.class).orElseThrow()
                .check(server.localPeer(), List.of(client.listenAddresses().getFirst()));

        assertThatThrownBy(() -> check.orTimeout(20, TimeUnit.SECONDS).join())
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(AutoNatException.class)
                .hasMessageContaining("no dial-back with this request's nonce");
        // The client reset the dial-back stream instead of confirming the unknown nonce.
        assertThat(liar.dialBack.orTimeout(10, TimeUnit.SECONDS).join())
                .isEqualTo(AutoNatProto.DialStatus.E_DIAL_BACK_ERROR);
        assertThat(client.peerStore().reachability()).isEmpty();
    }

    @Test
    void externalAddressesAreAdvertisedAndPushed() throws Exception {
        Swarm a = TestSwarms.memory(new Identify());
        closeables.add(a);
        Swarm b = TestSwarms.memory(new Identify());
        closeables.add(b);
        List<SwarmEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        closeables.add(a.subscribe(events::add));
        TestSwarms.connect(a, b);
        awaitAddresses(b, a.localPeer(), a.listenAddresses());

        Multiaddr external = Multiaddr.parse("/ip4/203.0.113.9/tcp/4001");
        assertThat(a.addExternalAddress(external.withPeerId(a.localPeer()))).isTrue();
        assertThat(a.addExternalAddress(external)).isFalse();
        assertThat(a.externalAddresses()).containsExactly(external);
        List<Multiaddr> both = new ArrayList<>(a.listenAddresses());
        both.add(external);
        awaitAddresses(b, a.localPeer(), both);

        assertThat(a.removeExternalAddress(external)).isTrue();
        assertThat(a.removeExternalAddress(external)).isFalse();
        awaitAddresses(b, a.localPeer(), a.listenAddresses());
        assertThat(events).contains(new SwarmEvent.ExternalAddressAdded(external),
                new SwarmEvent.ExternalAddressRemoved(external));
    }

    private static void awaitAddresses(Swarm at, PeerId peer, List<Multiaddr> expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (new java.util.HashSet<>(at.peerStore().addresses(peer)).equals(new java.util.HashSet<>(expected))) {
                return;
            }
            Thread.sleep(10);
        }
        assertThat(at.peerStore().addresses(peer)).containsExactlyInAnyOrderElementsOf(expected);
    }
}
