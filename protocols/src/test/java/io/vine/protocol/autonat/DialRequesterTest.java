package io.vine.protocol.autonat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.embedded.EmbeddedChannel;
import io.vine.core.Reachability;
import io.vine.core.codec.VarintFrameDecoder;
import io.vine.core.crypto.Keys;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.peer.PeerId;
import io.vine.protocol.autonat.internal.pb.AutoNatProto;
import io.vine.protocol.autonat.internal.pb.AutoNatProto.DialResponse.ResponseStatus;
import io.vine.protocol.autonat.internal.pb.AutoNatProto.DialStatus;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client's side of a dial request against scripted server answers, without sockets. */
class DialRequesterTest {
    private static final PeerId SERVER = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
    private static final Multiaddr A = Multiaddr.parse("/ip4/203.0.113.5/tcp/4001");
    private static final Multiaddr B = Multiaddr.parse("/ip4/198.51.100.9/tcp/4002");

    private final PendingChecks pending = new PendingChecks();
    private final PendingChecks.Pending request = pending.open(List.of(A, B)).orElseThrow();
    private final CompletableFuture<DialResult> result = new CompletableFuture<>();
    private EmbeddedChannel ch;

    @AfterEach
    void finish() {
        if (ch != null) {
            ch.finishAndReleaseAll();
        }
    }

    private EmbeddedChannel start(AutoNatConfig config) {
        ch = new EmbeddedChannel(new VarintFrameDecoder(Messages.MAX_MESSAGE_BYTES),
                new DialRequester(SERVER, request, config, result));
        AutoNatProto.Message sent = Frames.readMessage(ch);
        assertThat(sent.getDialRequest().getNonce()).isEqualTo(request.nonce);
        assertThat(sent.getDialRequest().getAddrsCount()).isEqualTo(2);
        return ch;
    }

    private void answer(ResponseStatus status, int index, DialStatus dialStatus) {
        ch.writeInbound(Frames.frame(Messages.dialResponse(status, index, dialStatus)));
    }

    private AutoNatException failure() {
        assertThat(result).isCompletedExceptionally();
        assertThat(ch.isOpen()).as("stream reset").isFalse();
        try {
            result.get();
            throw new AssertionError("not failed");
        } catch (ExecutionException | InterruptedException e) {
            assertThat(e.getCause()).isInstanceOf(AutoNatException.class);
            return (AutoNatException) e.getCause();
        }
    }

    @Test
    void dialWithVerifiedNonceIsPublic() throws Exception {
        start(AutoNatConfig.DEFAULT);
        assertThat(pending.dialedBack(request.nonce, Multiaddr.parse("/ip4/10.0.0.2/tcp/4001"))).isTrue();
        answer(ResponseStatus.OK, 0, DialStatus.OK);
        DialResult r = result.get();
        assertThat(r.status()).isEqualTo(DialResult.Status.OK);
        assertThat(r.address()).contains(A);
        assertThat(r.reachability()).isEqualTo(Reachability.PUBLIC);
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void reportedDialWithoutTheNonceIsDiscarded() {
        start(AutoNatConfig.DEFAULT);
        // A dial-back with another nonce does not count.
        assertThat(pending.dialedBack(request.nonce + 1, A)).isFalse();
        answer(ResponseStatus.OK, 0, DialStatus.OK);
        assertThat(failure()).hasMessageContaining("no dial-back with this request's nonce");
    }

    @Test
    void dialBackOverAnotherTransportIsDiscarded() {
        start(AutoNatConfig.DEFAULT);
        pending.dialedBack(request.nonce, Multiaddr.parse("/memory/7"));
        answer(ResponseStatus.OK, 0, DialStatus.OK);
        assertThat(failure()).hasMessageContaining("over that transport");
    }

    @Test
    void dialErrorIsPrivateForTheSelectedAddress() throws Exception {
        start(AutoNatConfig.DEFAULT);
        answer(ResponseStatus.OK, 1, DialStatus.E_DIAL_ERROR);
        assertThat(result.get().address()).contains(B);
        assertThat(result.get().reachability()).isEqualTo(Reachability.PRIVATE);
    }

    @Test
    void dialBackErrorIsNoVerdict() throws Exception {
        start(AutoNatConfig.DEFAULT);
        answer(ResponseStatus.OK, 0, DialStatus.E_DIAL_BACK_ERROR);
        assertThat(result.get().reachability()).isEqualTo(Reachability.UNKNOWN);
    }

    @Test
    void refusalsComeBackAsStatus() throws Exception {
        start(AutoNatConfig.DEFAULT);
        answer(ResponseStatus.E_REQUEST_REJECTED, 0, DialStatus.UNUSED);
        assertThat(result.get().status()).isEqualTo(DialResult.Status.REQUEST_REJECTED);
        assertThat(result.get().address()).isEmpty();
    }

    @Test
    void unknownStatusesAreDiscarded() {
        start(AutoNatConfig.DEFAULT);
        ch.writeInbound(Frames.frame(AutoNatProto.Message.newBuilder().setDialResponse(
                AutoNatProto.DialResponse.newBuilder().setStatusValue(7)).build()));
        assertThat(failure()).hasMessageContaining("response status 7");
    }

    @Test
    void unknownDialStatusIsDiscarded() {
        start(AutoNatConfig.DEFAULT);
        ch.writeInbound(Frames.frame(AutoNatProto.Message.newBuilder().setDialResponse(
                AutoNatProto.DialResponse.newBuilder().setStatus(ResponseStatus.OK).setDialStatusValue(150)).build()));
        assertThat(failure()).hasMessageContaining("dial status 150");
    }

    @Test
    void addressIndexOutOfRangeIsDiscarded() {
        start(AutoNatConfig.DEFAULT);
        answer(ResponseStatus.OK, 2, DialStatus.E_DIAL_ERROR);
        assertThat(failure()).hasMessageContaining("addrIdx 2");
    }

    @Test
    void malformedResponseFails() {
        start(AutoNatConfig.DEFAULT);
        ch.writeInbound(Frames.raw(new byte[] {0x12, 0x05, 0x08}));
        assertThat(failure()).hasMessageContaining("malformed");
    }

    @Test
    void paysRequestedDialDataInChunksOfAtMost4096() throws Exception {
        start(AutoNatConfig.DEFAULT);
        ch.writeInbound(Frames.frame(AutoNatProto.Message.newBuilder().setDialDataRequest(
                AutoNatProto.DialDataRequest.newBuilder().setAddrIdx(1).setNumBytes(10_000)).build()));
        long paid = 0;
        int chunks = 0;
        for (AutoNatProto.Message m; (m = Frames.readMessage(ch)) != null; chunks++) {
            assertThat(m.getDialDataResponse().getData().size()).isLessThanOrEqualTo(4096);
            paid += m.getDialDataResponse().getData().size();
        }
        assertThat(paid).isGreaterThanOrEqualTo(10_000);
        assertThat(chunks).isEqualTo(3);
        answer(ResponseStatus.OK, 1, DialStatus.E_DIAL_ERROR);
        assertThat(result.get().reachability()).isEqualTo(Reachability.PRIVATE);
    }

    @Test
    void refusesToPayMoreThanItsLimit() {
        start(AutoNatConfig.builder().maxDialDataBytes(50_000).build());
        ch.writeInbound(Frames.frame(AutoNatProto.Message.newBuilder().setDialDataRequest(
                AutoNatProto.DialDataRequest.newBuilder().setAddrIdx(0).setNumBytes(50_001)).build()));
        assertThat(failure()).hasMessageContaining("asks for 50001 bytes");
        assertThat((Object) ch.readOutbound()).isNull();
    }

    @Test
    void hugeUnsignedDialDataAskIsRefused() {
        start(AutoNatConfig.DEFAULT);
        ch.writeInbound(Frames.frame(AutoNatProto.Message.newBuilder().setDialDataRequest(
                AutoNatProto.DialDataRequest.newBuilder().setAddrIdx(0).setNumBytes(-1L)).build()));
        assertThat(failure()).hasMessageContaining("18446744073709551615");
    }

    @Test
    void secondDialDataRequestFails() {
        start(AutoNatConfig.DEFAULT);
        AutoNatProto.Message ask = AutoNatProto.Message.newBuilder().setDialDataRequest(
                AutoNatProto.DialDataRequest.newBuilder().setAddrIdx(0).setNumBytes(10)).build();
        ch.writeInbound(Frames.frame(ask));
        ch.releaseOutbound();
        ch.writeInbound(Frames.frame(ask));
        assertThat(failure()).hasMessageContaining("DIALDATAREQUEST");
    }

    @Test
    void streamClosedBeforeAnAnswerFails() {
        start(AutoNatConfig.DEFAULT);
        ch.close();
        assertThatThrownBy(result::get).hasCauseInstanceOf(AutoNatException.class);
    }
}
