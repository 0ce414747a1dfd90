package io.vine.swarm.multistream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MultistreamSelectTest {
    private final EmbeddedChannel dialer = new EmbeddedChannel();
    private final EmbeddedChannel listener = new EmbeddedChannel();
    private final Recorder dialed = new Recorder();
    private final Recorder listened = new Recorder();

    @AfterEach
    void tearDown() {
        dialer.finishAndReleaseAll();
        listener.finishAndReleaseAll();
        dialed.release();
        listened.release();
    }

    private static boolean hasNegotiationHandler(EmbeddedChannel ch) {
        return ch.pipeline().get(DialerHandler.class) != null || ch.pipeline().get(ListenerHandler.class) != null;
    }

    @Test
    void agreesOnFirstProposalAndSendsHeaderWithProposal() {
        MultistreamSelect.respond(listener, Set.of("/noise", "/yamux/1.0.0")::contains, listened);
        MultistreamSelect.initiate(dialer, List.of("/noise"), dialed);

        // Header and first proposal leave together, before anything is received.
        ByteBuf first = Wire.drain(dialer);
        assertThat(ByteBufUtil.hexDump(first)).isEqualTo(
                "13" + ByteBufUtil.hexDump("/multistream/1.0.0\n".getBytes()) + "07" + ByteBufUtil.hexDump("/noise\n".getBytes()));
        listener.writeInbound(first);
        Wire.pump(dialer, listener, false);

        assertThat(dialed.selected).containsExactly("/noise");
        assertThat(listened.selected).containsExactly("/noise");
        assertThat(dialed.failures).isEmpty();
        assertThat(listened.failures).isEmpty();
        assertThat(hasNegotiationHandler(dialer)).isFalse();
        assertThat(hasNegotiationHandler(listener)).isFalse();

        // The installed handlers now carry the protocol's bytes both ways.
        dialer.writeAndFlush(Wire.text(io.netty.buffer.Unpooled.buffer(), "ping"));
        listener.writeAndFlush(Wire.text(io.netty.buffer.Unpooled.buffer(), "pong"));
        Wire.pump(dialer, listener, false);
        assertThat(listened.receivedText()).isEqualTo("ping");
        assertThat(dialed.receivedText()).isEqualTo("pong");
    }

    @Test
    void fallsBackAfterNa() {
        List<String> seen = new ArrayList<>();
        MultistreamSelect.respond(listener, p -> seen.add(p) && p.equals("/mplex/6.7.0"), listened);
        MultistreamSelect.initiate(dialer, List.of("/yamux/1.0.0", "/mplex/6.7.0"), dialed);
        Wire.pump(dialer, listener, false);
        assertThat(seen).containsExactly("/yamux/1.0.0", "/mplex/6.7.0");
        assertThat(dialed.selected).containsExactly("/mplex/6.7.0");
        assertThat(listened.selected).containsExactly("/mplex/6.7.0");
    }

    @Test
    void byteByByteDelivery() {
        MultistreamSelect.respond(listener, "/c"::equals, listened);
        MultistreamSelect.initiate(dialer, List.of("/a", "/b", "/c"), dialed);
        Wire.pump(dialer, listener, true);
        assertThat(dialed.selected).containsExactly("/c");
        assertThat(listened.selected).containsExactly("/c");
        dialer.writeAndFlush(Wire.text(io.netty.buffer.Unpooled.buffer(), "data"));
        Wire.pump(dialer, listener, true);
        assertThat(listened.receivedText()).isEqualTo("data");
    }

    @Test
    void noCommonProtocolListsWhatWasRefused() {
        MultistreamSelect.respond(listener, p -> false, listened);
        MultistreamSelect.initiate(dialer, List.of("/x/1", "/y/1"), dialed);
        Wire.pump(dialer, listener, false);
        assertThat(dialed.failure()).isInstanceOf(NegotiationException.class)
                .hasMessage("no protocol in common (refused: [/x/1, /y/1])");
        assertThat(((NegotiationException) dialed.failure()).refused()).containsExactly("/x/1", "/y/1");
        assertThat(dialed.selected).isEmpty();
        assertThat(listened.failures).isEmpty();
        // The handler closes nothing: the callback decides.
        assertThat(dialer.isOpen()).isTrue();
    }

    @Test
    void listenerBoundsRejections() {
        MultistreamSelect.respond(listener, p -> false, listened);
        List<String> many = IntStream.range(0, 40).mapToObj(i -> "/p/" + i).toList();
        MultistreamSelect.initiate(dialer, many, dialed);
        Wire.pump(dialer, listener, false);
        NegotiationException e = (NegotiationException) listened.failure();
        assertThat(e.refused()).hasSize(MultistreamSelect.MAX_REJECTIONS + 1).startsWith("/p/0");
        assertThat(dialed.failures).isEmpty();
        assertThat(dialed.selected).isEmpty();
    }

    @Test
    void lsAndNaProposalsAreRefused() {
        MultistreamSelect.respond(listener, p -> true, listened);
        listener.writeInbound(Wire.messages(MultistreamSelect.PROTOCOL_ID, "ls", "na", "/ok"));
        ByteBuf out = Wire.drain(listener);
        ByteBuf expected = Wire.messages(MultistreamSelect.PROTOCOL_ID, "na", "na", "/ok");
        assertThat(ByteBufUtil.hexDump(out)).isEqualTo(ByteBufUtil.hexDump(expected));
        out.release();
        expected.release();
        assertThat(listened.selected).containsExactly("/ok");
    }

    @Test
    void dataInTheSameBufferAsTheAgreementReachesTheNextHandler() {
        MultistreamSelect.respond(listener, "/echo"::equals, listened);
        // A lazy dialer sends header, proposal and data at once.
        listener.writeInbound(Wire.text(Wire.messages(MultistreamSelect.PROTOCOL_ID, "/echo"), "hello\n\u00e9"));
        assertThat(listened.selected).containsExactly("/echo");
        assertThat(listened.receivedText()).isEqualTo("hello\n\u00e9");
        assertThat(listened.readCompletes).isPositive();

        MultistreamSelect.initiate(dialer, List.of("/echo"), dialed);
        Wire.drain(dialer).release();
        dialer.writeInbound(Wire.text(Wire.messages(MultistreamSelect.PROTOCOL_ID, "/echo"), "world"));
        assertThat(dialed.selected).containsExactly("/echo");
        assertThat(dialed.receivedText()).isEqualTo("world");
        assertThat(hasNegotiationHandler(dialer)).isFalse();
    }

    @Test
    void holdUntilReadKeepsBytesUntilTheFirstRead() {
        dialer.config().setAutoRead(false);
        MultistreamSelect.initiate(dialer, List.of("/echo"), dialed, true);
        Wire.drain(dialer).release();
        dialer.writeInbound(Wire.text(Wire.messages(MultistreamSelect.PROTOCOL_ID, "/echo"), "early"));
        assertThat(dialed.selected).containsExactly("/echo");
        dialer.writeInbound(Wire.text(io.netty.buffer.Unpooled.buffer(), "+more"));
        assertThat(dialed.received.isReadable()).isFalse();
        assertThat(hasNegotiationHandler(dialer)).isTrue();

        dialer.read();
        assertThat(dialed.receivedText()).isEqualTo("early+more");
        assertThat(hasNegotiationHandler(dialer)).isFalse();
        dialer.writeInbound(Wire.text(io.netty.buffer.Unpooled.buffer(), "!"));
        assertThat(dialed.receivedText()).isEqualTo("early+more!");
    }

    @Test
    void holdUntilReadReleasesWhenAutoReadIsTurnedOn() {
        dialer.config().setAutoRead(false);
        MultistreamSelect.initiate(dialer, List.of("/echo"), dialed, true);
        Wire.drain(dialer).release();
        dialer.writeInbound(Wire.text(Wire.messages(MultistreamSelect.PROTOCOL_ID, "/echo"), "held"));
        assertThat(dialed.received.isReadable()).isFalse();
        dialer.config().setAutoRead(true);
        assertThat(dialed.receivedText()).isEqualTo("held");
        assertThat(hasNegotiationHandler(dialer)).isFalse();
    }

    @Test
    void holdUntilReadReleasesHeldBytesBeforeInactive() {
        dialer.config().setAutoRead(false);
        MultistreamSelect.initiate(dialer, List.of("/echo"), dialed, true);
        Wire.drain(dialer).release();
        dialer.writeInbound(Wire.text(Wire.messages(MultistreamSelect.PROTOCOL_ID, "/echo"), "last words"));
        dialer.close();
        assertThat(dialed.receivedText()).isEqualTo("last words");
    }

    @Test
    void closedDuringNegotiation() {
        MultistreamSelect.initiate(dialer, List.of("/a"), dialed);
        dialer.writeInbound(Wire.messages(MultistreamSelect.PROTOCOL_ID));
        dialer.close();
        assertThat(dialed.failure()).isInstanceOf(ClosedChannelException.class);
    }

    @Test
    void callbackErrorInSelectedIsReportedAsFailure() {
        MultistreamSelect.Selection throwing = new MultistreamSelect.Selection() {
            @Override
            public void selected(ChannelHandlerContext ctx, String protocol) {
                throw new IllegalStateException("boom");
            }

            @Override
            public void failed(ChannelHandlerContext ctx, Throwable cause) {
                dialed.failures.add(cause);
            }
        };
        MultistreamSelect.respond(listener, p -> true, throwing);
        ByteBuf in = Wire.text(Wire.messages(MultistreamSelect.PROTOCOL_ID, "/a"), "data");
        listener.writeInbound(in);
        assertThat(dialed.failure()).hasMessage("boom");
        assertThat(in.refCnt()).isZero();
    }

    @Test
    void rejectsUnsendableProtocolIds() {
        Recorder r = dialed;
        assertThatThrownBy(() -> MultistreamSelect.initiate(dialer, List.of(), r))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected: at least one");
        assertThatThrownBy(() -> MultistreamSelect.initiate(dialer, List.of("a\nb"), r))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MultistreamSelect.initiate(dialer, List.of("na"), r))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MultistreamSelect.initiate(dialer, List.of("/" + "x".repeat(1023)), r))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1025 bytes");
        assertThatThrownBy(() -> MultistreamSelect.initiate(null, List.of("/a"), r))
                .isInstanceOf(NullPointerException.class).hasMessage("ch");
        assertThat(hasNegotiationHandler(dialer)).isFalse();
    }
}
