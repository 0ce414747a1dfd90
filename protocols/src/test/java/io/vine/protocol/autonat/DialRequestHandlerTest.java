package io.vine.protocol.autonat;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.vine.core.codec.VarintFrameDecoder;
import io.vine.core.crypto.Keys;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.peer.PeerId;
import io.vine.protocol.autonat.internal.pb.AutoNatProto;
import io.vine.protocol.autonat.internal.pb.AutoNatProto.DialResponse.ResponseStatus;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The server's request handling without sockets: what it refuses, with which status, and that
 * nothing is dialed (the context is null: a dial would throw) before the rules allow it.
 */
class DialRequestHandlerTest {
    private static final PeerId CLIENT = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
    private static final Multiaddr OBSERVED = Multiaddr.parse("/ip4/203.0.113.5/tcp/40000");
    private static final Multiaddr SAME_IP = Multiaddr.parse("/ip4/203.0.113.5/tcp/4001");
    private static final Multiaddr OTHER_IP = Multiaddr.parse("/ip4/198.51.100.9/tcp/4001");

    private final AtomicLong clock = new AtomicLong();
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void finish() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    private EmbeddedChannel channel(AutoNatConfig config, RateLimiter limiter) {
        EmbeddedChannel ch = new EmbeddedChannel(new VarintFrameDecoder(Messages.MAX_MESSAGE_BYTES),
                new DialRequestHandler(null, config, limiter, CLIENT, OBSERVED));
        channels.add(ch);
        return ch;
    }

    private EmbeddedChannel channel(AutoNatConfig config) {
        return channel(config, new RateLimiter(config, clock::get));
    }

    private EmbeddedChannel channel() {
        return channel(AutoNatConfig.DEFAULT);
    }

    private static void assertResponse(EmbeddedChannel ch, ResponseStatus status) {
        AutoNatProto.Message m = Frames.readMessage(ch);
        assertThat(m).isNotNull();
        assertThat(m.getDialResponse().getStatus()).isEqualTo(status);
        ch.runPendingTasks();
        assertThat(ch.isOpen()).as("stream closed after the response").isFalse();
    }

    private static void assertResetWithoutAnswer(EmbeddedChannel ch) {
        assertThat(ch.isOpen()).isFalse();
        assertThat((Object) ch.readOutbound()).isNull();
    }

    @Test
    void malformedProtobufResets() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(Frames.raw(new byte[] {0x0a, 0x7f, 0x01}));
        assertResetWithoutAnswer(ch);
    }

    @Test
    void messageWithNothingSetResets() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(Frames.raw(new byte[0]));
        assertResetWithoutAnswer(ch);
    }

    @Test
    void firstMessageOtherThanARequestResets() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(Frames.frame(Frames.data(10)));
        assertResetWithoutAnswer(ch);
    }

    @Test
    void oversizedFrameResets() {
        EmbeddedChannel ch = channel();
        byte[] big = new byte[Messages.MAX_MESSAGE_BYTES + 1];
        ch.writeInbound(Frames.raw(big));
        assertResetWithoutAnswer(ch);
    }

    @Test
    void truncatedAndRandomInputNeverAnswersOrLeaks() {
        java.util.Random random = new java.util.Random(7);
        byte[] good = Frames.request(1, List.of(OTHER_IP)).toByteArray();
        for (int cut = 0; cut < good.length; cut++) {
            EmbeddedChannel ch = channel();
            ch.writeInbound(Frames.raw(java.util.Arrays.copyOf(good, cut)));
            AutoNatProto.Message m = Frames.readMessage(ch);
            // A cut request is either malformed (reset) or a shorter valid one, which is refused.
            if (m != null) {
                assertThat(m.hasDialResponse() || m.hasDialDataRequest()).isTrue();
            }
        }
        for (int i = 0; i < 200; i++) {
            byte[] junk = new byte[random.nextInt(64)];
            random.nextBytes(junk);
            EmbeddedChannel ch = channel();
            ch.writeInbound(Unpooled.wrappedBuffer(junk));
        }
    }

    @Test
    void noAddressItWouldDialIsRefused() {
        AutoNatProto.DialRequest.Builder r = AutoNatProto.DialRequest.newBuilder().setNonce(3)
                .addAddrs(ByteString.copyFrom(new byte[] {(byte) 0xff, 0x01}))
                .addAddrs(ByteString.copyFrom(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001").toBytes()))
                .addAddrs(ByteString.copyFrom(Multiaddr.parse("/ip4/192.168.1.2/tcp/4001").toBytes()))
                .addAddrs(ByteString.copyFrom(Multiaddr.parse("/ip4/203.0.113.5/tcp/1/p2p-circuit").toBytes()))
                .addAddrs(ByteString.copyFrom(Multiaddr.parse("/memory/5").toBytes()));
        EmbeddedChannel ch = channel();
        ch.writeInbound(Frames.frame(AutoNatProto.Message.newBuilder().setDialRequest(r).build()));
        assertResponse(ch, ResponseStatus.E_DIAL_REFUSED);
    }

    @Test
    void anAddressOfAnotherPeerIsRefused() {
        PeerId other = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
        EmbeddedChannel ch = channel();
        ch.writeInbound(Frames.frame(Frames.request(3, List.of(SAME_IP.withPeerId(other)))));
        assertResponse(ch, ResponseStatus.E_DIAL_REFUSED);
    }

    @Test
    void tooManyAddressesAreRejected() {
        AutoNatConfig config = AutoNatConfig.builder().maxAddressesPerRequest(2).build();
        EmbeddedChannel ch = channel(config);
        ch.writeInbound(Frames.frame(Frames.request(3, Collections.nCopies(3, SAME_IP))));
        assertResponse(ch, ResponseStatus.E_REQUEST_REJECTED);
    }

    @Test
    void anotherIpNeedsDialDataFirst() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(Frames.frame(Frames.request(3, List.of(Multiaddr.parse("/ip4/10.0.0.1/tcp/1"), OTHER_IP))));
        AutoNatProto.Message ask = Frames.readMessage(ch);
        assertThat(ask.hasDialDataRequest()).isTrue();
        assertThat(ask.getDialDataRequest().getAddrIdx()).isEqualTo(1);
        assertThat(ask.getDialDataRequest().getNumBytes()).isEqualTo(30_000);
        // The client walks away instead of paying: nothing is dialed, nothing answered.
        ch.close();
        assertThat((Object) ch.readOutbound()).isNull();
    }

    @Test
    void otherMessagesInsteadOfDialDataReset() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(Frames.frame(Frames.request(3, List.of(OTHER_IP))));
        assertThat(Frames.readMessage(ch).hasDialDataRequest()).isTrue();
        ch.writeInbound(Frames.frame(Frames.request(4, List.of(SAME_IP))));
        assertResetWithoutAnswer(ch);
    }

    @Test
    void dialDataChunksOver4096BytesReset() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(Frames.frame(Frames.request(3, List.of(OTHER_IP))));
        assertThat(Frames.readMessage(ch).hasDialDataRequest()).isTrue();
        ch.writeInbound(Frames.frame(Frames.data(4096)));
        ch.writeInbound(Frames.frame(Frames.data(4097)));
        assertResetWithoutAnswer(ch);
    }

    @Test
    void partialDialDataDoesNotDial() {
        EmbeddedChannel ch = channel(AutoNatConfig.builder().dialDataBytes(10_000).build());
        ch.writeInbound(Frames.frame(Frames.request(3, List.of(OTHER_IP))));
        assertThat(Frames.readMessage(ch).hasDialDataRequest()).isTrue();
        ch.writeInbound(Frames.frame(Frames.data(4096)));
        ch.writeInbound(Frames.frame(Frames.data(4096)));
        // 8192 of 10 000 bytes: still waiting (a dial would need the null context and throw).
        assertThat(ch.isOpen()).isTrue();
        assertThat((Object) ch.readOutbound()).isNull();
    }

    @Test
    void perPeerRateLimitRejects() {
        AutoNatConfig config = AutoNatConfig.builder().requestsPerPeerPerMinute(2).build();
        RateLimiter limiter = new RateLimiter(config, clock::get);
        for (int i = 0; i < 2; i++) {
            EmbeddedChannel ch = channel(config, limiter);
            ch.writeInbound(Frames.frame(Frames.request(i, List.of(Multiaddr.parse("/ip4/10.0.0.1/tcp/1")))));
            assertResponse(ch, ResponseStatus.E_DIAL_REFUSED);
        }
        EmbeddedChannel third = channel(config, limiter);
        third.writeInbound(Frames.frame(Frames.request(9, List.of(SAME_IP))));
        assertResponse(third, ResponseStatus.E_REQUEST_REJECTED);
        assertThat(limiter.active()).isZero();

        clock.addAndGet(61_000_000_000L);
        EmbeddedChannel later = channel(config, limiter);
        later.writeInbound(Frames.frame(Frames.request(10, List.of(Multiaddr.parse("/ip4/10.0.0.1/tcp/1")))));
        assertResponse(later, ResponseStatus.E_DIAL_REFUSED);
    }

    @Test
    void dialDataRateLimitRejects() {
        AutoNatConfig config = AutoNatConfig.builder().dialDataRequestsPerMinute(1).build();
        RateLimiter limiter = new RateLimiter(config, clock::get);
        EmbeddedChannel first = channel(config, limiter);
        first.writeInbound(Frames.frame(Frames.request(1, List.of(OTHER_IP))));
        assertThat(Frames.readMessage(first).hasDialDataRequest()).isTrue();
        first.close();

        EmbeddedChannel second = channel(config, limiter);
        second.writeInbound(Frames.frame(Frames.request(2, List.of(OTHER_IP))));
        assertResponse(second, ResponseStatus.E_REQUEST_REJECTED);
    }

    @Test
    void concurrencyLimitHoldsUntilRequestsEnd() {
        AutoNatConfig config = AutoNatConfig.builder().maxConcurrentRequests(2).build();
        RateLimiter limiter = new RateLimiter(config, clock::get);
        List<EmbeddedChannel> waiting = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            EmbeddedChannel ch = channel(config, limiter);
            ch.writeInbound(Frames.frame(Frames.request(i, List.of(OTHER_IP))));
            assertThat(Frames.readMessage(ch).hasDialDataRequest()).isTrue();
            waiting.add(ch);
        }
        EmbeddedChannel third = channel(config, limiter);
        third.writeInbound(Frames.frame(Frames.request(3, List.of(SAME_IP))));
        assertResponse(third, ResponseStatus.E_REQUEST_REJECTED);

        waiting.getFirst().close();
        assertThat(limiter.active()).isEqualTo(1);
        EmbeddedChannel fourth = channel(config, limiter);
        fourth.writeInbound(Frames.frame(Frames.request(4, List.of(Multiaddr.parse("/ip4/10.0.0.1/tcp/1")))));
        assertResponse(fourth, ResponseStatus.E_DIAL_REFUSED);
    }

    @Test
    void globalRateLimitRejectsAndPeerMemoryStaysBounded() {
        AutoNatConfig config = AutoNatConfig.builder().requestsPerMinute(5).build();
        RateLimiter limiter = new RateLimiter(config, clock::get);
        int rejected = 0;
        for (int i = 0; i < 50; i++) {
            PeerId peer = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
            if (limiter.tryStart(peer)) {
                limiter.done();
            } else {
                rejected++;
            }
        }
        assertThat(rejected).isEqualTo(45);
        assertThat(limiter.trackedPeers()).isEqualTo(5);
        clock.addAndGet(61_000_000_000L);
        assertThat(limiter.tryStart(CLIENT)).isTrue();
        assertThat(limiter.trackedPeers()).isEqualTo(1);
    }
}
