package io.vine.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.vine.swarm.multistream.MultistreamSelect;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * One complete multistream-select 1.0 negotiation between a dialer and a listener on two
 * {@link EmbeddedChannel}s: the listener accepts the dialer's {@code proposals}-th proposal (1: the
 * first; 3: after two {@code na}). Includes creating and closing both channels.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MultistreamBenchmark {
    private static final List<String> PROTOCOLS = List.of("/mplex/6.7.0", "/other/1.0.0", "/yamux/1.0.0");

    @Param({"1", "3"})
    public int proposals;

    @Benchmark
    public int negotiate() {
        EmbeddedChannel dialer = new EmbeddedChannel();
        EmbeddedChannel listener = new EmbeddedChannel();
        Outcome dialed = new Outcome();
        Outcome listened = new Outcome();
        List<String> offered = PROTOCOLS.subList(PROTOCOLS.size() - proposals, PROTOCOLS.size());
        MultistreamSelect.respond(listener, "/yamux/1.0.0"::equals, listened);
        MultistreamSelect.initiate(dialer, offered, dialed);
        boolean moved;
        do {
            moved = transfer(dialer, listener) | transfer(listener, dialer);
        } while (moved);
        dialer.finishAndReleaseAll();
        listener.finishAndReleaseAll();
        if (dialed.selected == null || listened.selected == null) {
            throw new IllegalStateException("negotiation did not finish: " + dialed.failure + ", " + listened.failure);
        }
        return dialed.selected.length() + listened.selected.length();
    }

    private static boolean transfer(EmbeddedChannel from, EmbeddedChannel to) {
        boolean moved = false;
        for (Object o; (o = from.readOutbound()) != null; ) {
            moved = true;
            to.writeInbound((ByteBuf) o);
        }
        return moved;
    }

    private static final class Outcome implements MultistreamSelect.Selection {
        String selected;
        Throwable failure;

        @Override
        public void selected(ChannelHandlerContext ctx, String protocol) {
            selected = protocol;
        }

        @Override
        public void failed(ChannelHandlerContext ctx, Throwable cause) {
            failure = cause;
        }
    }
}
