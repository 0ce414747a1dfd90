package io.vine.swarm;

import static io.vine.swarm.Net.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalIoHandler;
import io.vine.core.StreamChannel;
import io.vine.testkit.EchoProtocol;
import io.vine.testkit.TestSwarms;
import io.vine.transport.Wires;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two swarms whose connection ends share one event loop, over the memory transport: a write there
 * reaches the remote within the writer's own flush, and the remote may answer within it too. A new
 * stream must still see the remote's first bytes (its multistream header is sent as soon as it sees
 * the stream), from whichever side it was opened.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SwarmSameLoopTest {
    /** One loop that can host local channels, so the memory transport puts both ends on it. */
    private final EventLoopGroup oneLoop = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());

    @AfterEach
    void tearDown() {
        oneLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void streamsOpenedFromBothSidesNegotiateWhenTheRemoteAnswersWithinTheFlush() {
        try (Swarm a = TestSwarms.memory(b -> b.ioGroup(oneLoop), new EchoProtocol());
                Swarm b = TestSwarms.memory(x -> x.ioGroup(oneLoop), new EchoProtocol())) {
            TestSwarms.connect(a, b);
            List<CompletableFuture<byte[]>> echoes = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                echoes.add(echo(a, b, "from a " + i));
                echoes.add(echo(b, a, "from b " + i));
            }
            for (int i = 0; i < echoes.size(); i++) {
                String expected = (i % 2 == 0 ? "from a " : "from b ") + i / 2;
                assertThat(new String(await(echoes.get(i)), StandardCharsets.UTF_8)).isEqualTo(expected);
            }
            assertThat(a.connections(b.localPeer())).hasSize(1);
        }
    }

    /** Opens an echo stream from {@code from} to {@code to} and sends {@code text}; completes with the echo. */
    private static CompletableFuture<byte[]> echo(Swarm from, Swarm to, String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        Wires.Collector back = new Wires.Collector(payload.length);
        return from.newStream(to.localPeer(), back, EchoProtocol.ID).thenCompose(s -> {
            s.writeAndFlush(Unpooled.wrappedBuffer(payload));
            return back.received.whenComplete((x, e) -> s.close());
        });
    }
}
