package io.vine.protocol.identify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.vine.core.Protocol;
import io.vine.core.StreamChannel;
import io.vine.core.crypto.Keys;
import io.vine.core.multiformats.Varint;
import io.vine.swarm.Swarm;
import io.vine.testkit.TestSwarms;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** A peer that answers identify with a message vine must refuse: nothing of it reaches the peer store. */
class IdentifyMisbehavingPeerTest {

    /** Answers {@code /ipfs/id/1.0.0} with whatever {@code answer} makes, then closes. */
    private record FakeIdentify(Function<StreamChannel, ByteBuf> answer) implements Protocol {
        @Override
        public List<String> protocolIds() {
            return List.of(Identify.PROTOCOL_ID);
        }

        @Override
        public void acceptInboundStream(StreamChannel stream, String protocolId) {
            stream.writeAndFlush(answer.apply(stream)).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static void assertRefused(FakeIdentify fake, String message) throws Exception {
        try (Swarm a = TestSwarms.memory(new Identify()); Swarm b = TestSwarms.memory(fake)) {
            TestSwarms.connect(a, b);
            assertThatThrownBy(() -> Identify.identify(a, b.localPeer()).get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(IdentifyException.class).hasMessageContaining(message);
            assertThat(a.peerStore().agentVersion(b.localPeer())).isEmpty();
            assertThat(a.peerStore().protocols(b.localPeer())).isEmpty();
            assertThat(a.peerStore().observedAddresses()).isEmpty();
            assertThat(a.connections(b.localPeer())).as("only the stream is reset").isNotEmpty();
        }
    }

    @Test
    void oversizedAnswer() throws Exception {
        int size = IdentifyCodec.MAX_MESSAGE_BYTES + 1;
        assertRefused(new FakeIdentify(s -> Varint.write(s.alloc().buffer(), size).writeZero(size)),
                "frame length: " + size);
    }

    @Test
    void answerSignedWithAnotherKey() throws Exception {
        assertRefused(new FakeIdentify(s -> Identify.frame(s.alloc(),
                IdentifyReaderTest.message(Keys.generateEd25519()))), "expected: the key of");
    }

    @Test
    void emptyAnswer() throws Exception {
        assertRefused(new FakeIdentify(s -> s.alloc().buffer(0)), "stream closed before a complete message");
    }
}
