package io.vine.protocol.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.vine.core.Connection;
import io.vine.core.StreamChannel;
import io.vine.core.peer.PeerId;
import io.vine.protocol.relay.internal.pb.RelayProto;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A CONNECT the relay accepted: opens the stop stream to the target over the connection its
 * reservation came on, sends it the initiator's id and the limit, and on the target's OK answers the
 * initiator OK and starts the {@link Circuit}; on anything else answers CONNECTION_FAILED. Holds a
 * circuit slot from the start; gives it back on failure or passes it to the circuit.
 */
final class CircuitSetup {
    private static final Logger log = LoggerFactory.getLogger(CircuitSetup.class);

    private final RelayService service;
    private final StreamChannel hop;
    private final ChannelHandlerContext hopCtx;
    private final HopHandler hopReader;
    private final PeerId src;
    private final PeerId dst;
    private final boolean unlimited;
    private final AtomicBoolean done = new AtomicBoolean();

    CircuitSetup(RelayService service, StreamChannel hop, ChannelHandlerContext hopCtx, HopHandler hopReader,
            PeerId src, PeerId dst) {
        this.service = service;
        this.hop = hop;
        this.hopCtx = hopCtx;
        this.hopReader = hopReader;
        this.src = src;
        this.dst = dst;
        this.unlimited = service.config().unlimited(src, dst);
    }

    void start(Connection target) {
        target.newStream(RelayMessages.STOP).whenComplete((stop, e) -> {
            if (e != null) {
                fail("stop stream to " + dst + ": " + e.getMessage());
                return;
            }
            stop.eventLoop().execute(() -> {
                if (done.get()) {
                    stop.close();
                    return;
                }
                stop.pipeline().addLast(new StopReader(stop));
                RelayProto.StopMessage.Builder m = RelayProto.StopMessage.newBuilder()
                        .setType(RelayProto.StopMessage.Type.CONNECT).setPeer(RelayMessages.peer(src));
                if (!unlimited) {
                    m.setLimit(limit());
                }
                stop.writeAndFlush(RelayMessages.frame(stop.alloc(), m.build()));
                stop.config().setAutoRead(true);
            });
        });
    }

    /** The hop stream failed or closed while the stop side was being set up. */
    void hopFailed(String why) {
        fail(why);
    }

    private RelayProto.Limit limit() {
        return RelayMessages.limit(service.config().circuitDuration(), service.config().circuitBytes());
    }

    private void fail(String why) {
        if (!done.compareAndSet(false, true)) {
            return;
        }
        log.debug("circuit {} -> {} failed: {}", src, dst, why);
        service.store().closeCircuit(src, dst);
        service.counters().circuitsRefused.incrementAndGet();
        hop.eventLoop().execute(() -> {
            if (hop.isActive()) {
                hop.writeAndFlush(RelayMessages.frame(hop.alloc(), RelayMessages.hopStatus(RelayStatus.CONNECTION_FAILED)))
                        .addListener(ChannelFutureListener.CLOSE);
            }
        });
    }

    private void succeed(StreamChannel stop, ByteBuf stopRest) {
        hop.eventLoop().execute(() -> {
            if (!hop.isActive() || !done.compareAndSet(false, true)) {
                stopRest.release();
                stop.close();
                if (done.compareAndSet(false, true)) {
                    service.store().closeCircuit(src, dst);
                    service.counters().circuitsRefused.incrementAndGet();
                }
                return;
            }
            RelayProto.HopMessage.Builder ok = RelayProto.HopMessage.newBuilder()
                    .setType(RelayProto.HopMessage.Type.STATUS).setStatus(RelayProto.Status.OK);
            if (!unlimited) {
                ok.setLimit(limit());
            }
            hop.writeAndFlush(RelayMessages.frame(hop.alloc(), ok.build()));
            ByteBuf hopRest = hopReader.takeRest(hopCtx);
            new Circuit(service, hop, stop, src, dst, unlimited).start(hopRest, stopRest);
        });
    }

    /** Reads the target's answer on the stop stream. */
    private final class StopReader extends SingleMessageReader {
        private final StreamChannel stop;

        StopReader(StreamChannel stop) {
            super(service.config().handshakeTimeout());
            this.stop = stop;
        }

        @Override
        protected void onMessage(ChannelHandlerContext ctx, byte[] message) {
            RelayStatus status;
            try {
                RelayProto.StopMessage m = RelayMessages.parseStop(message);
                if (m.getType() != RelayProto.StopMessage.Type.STATUS) {
                    throw new RelayException("stop " + m.getType() + " from the target", RelayStatus.UNEXPECTED_MESSAGE);
                }
                status = RelayMessages.status(m.hasStatus(), m.getStatus());
            } catch (RelayException e) {
                ctx.writeAndFlush(RelayMessages.frame(ctx.alloc(), RelayMessages.stopStatus(e.status().orElseThrow())))
                        .addListener(ChannelFutureListener.CLOSE);
                fail("target " + dst + ": " + e.getMessage());
                return;
            }
            if (status != RelayStatus.OK) {
                ctx.close();
                fail("target " + dst + " answered " + status);
                return;
            }
            succeed(stop, takeRest(ctx));
        }

        @Override
        protected void onFailure(ChannelHandlerContext ctx, RelayException cause) {
            ctx.close();
            fail("stop stream to " + dst + ": " + cause.getMessage());
        }
    }
}
