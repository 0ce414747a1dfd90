package io.vine.benchmarks.memory;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.vine.core.Connection;
import io.vine.core.Protocol;
import io.vine.core.StreamChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The client's remote control of the server, one request line and one answer line at a time over a
 * vine stream: {@code count}, {@code measure <phase>}, {@code report}, {@code exit}.
 */
final class Control {
    static final String ID = "/vine/bench/memory-control/1.0.0";
    private static final int MAX_LINE = 4096;

    private Control() {}

    /** The server side: answers each line with {@code handler}'s result, computed on {@code executor}. */
    static Protocol server(Function<String, String> handler, Executor executor) {
        return new Protocol() {
            @Override
            public List<String> protocolIds() {
                return List.of(ID);
            }

            @Override
            public void acceptInboundStream(StreamChannel stream, String protocolId) {
                stream.pipeline().addLast(new LineBasedFrameDecoder(MAX_LINE), new Lines(line ->
                        executor.execute(() -> {
                            String answer;
                            try {
                                answer = handler.apply(line);
                            } catch (RuntimeException e) {
                                answer = "error " + e;
                            }
                            stream.writeAndFlush(encode(answer));
                        })));
                stream.config().setAutoRead(true);
            }
        };
    }

    /** The client side: a control stream opened on {@code connection}. */
    static Client open(Connection connection, Duration timeout) throws Exception {
        Client client = new Client();
        StreamChannel stream = connection.newStream(ID).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        stream.eventLoop().submit(() -> {
            stream.pipeline().addLast(new LineBasedFrameDecoder(MAX_LINE), new Lines(client.answers::add));
            stream.config().setAutoRead(true);
        }).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        client.stream = stream;
        return client;
    }

    static final class Client {
        private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
        private StreamChannel stream;

        /** Sends {@code request} and waits for its answer. */
        String call(String request, Duration timeout) throws Exception {
            stream.writeAndFlush(encode(request));
            String answer = answers.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (answer == null) {
                throw new TimeoutException("server did not answer '" + request + "' within " + timeout);
            }
            if (answer.startsWith("error ")) {
                throw new IllegalStateException("server: " + answer);
            }
            return answer;
        }
    }

    private static ByteBuf encode(String line) {
        return Unpooled.copiedBuffer(line + "\n", StandardCharsets.UTF_8);
    }

    /** Hands each decoded line to a consumer. */
    private static final class Lines extends SimpleChannelInboundHandler<ByteBuf> {
        private final java.util.function.Consumer<String> sink;

        Lines(java.util.function.Consumer<String> sink) {
            this.sink = sink;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
            sink.accept(msg.toString(StandardCharsets.UTF_8).trim());
        }
    }
}
