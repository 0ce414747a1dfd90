package io.vine.protocol.relay;

import com.google.protobuf.ByteString;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.vine.core.StreamChannel;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.multiaddr.MultiaddrFormatException;
import io.vine.core.peer.PeerId;
import io.vine.protocol.relay.internal.pb.RelayProto;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The client's requests on a hop stream it opened to a relay: RESERVE (the answer is checked: status,
 * expiry in the future, a voucher signed by the relay for this peer) and CONNECT (on OK the stream
 * becomes the relayed connection and is handed over with the bytes that came behind the answer).
 */
final class HopClient {
    /** At most this many relay addresses are kept from a reservation. */
    static final int MAX_ADDRS = 16;

    /** A reservation as the relay granted it. */
    record Granted(long expireSeconds, List<Multiaddr> addrs, boolean voucher) {}

    /**
     * Takes over a stream whose CONNECT succeeded, with the limit the relay announced for the circuit
     * (null: none); called on its event loop.
     */
    interface Handover {
        void handover(StreamChannel stream, ByteBuf rest, CircuitLimitHandler.Limit limit);
    }

    private HopClient() {}

    /**
     * Sends RESERVE on {@code stream} (opened to {@code relay}, auto-read off) and checks the answer;
     * an OK whose reservation does not check out fails with a {@link RelayException} saying why, and
     * counts as rejected.
     */
    static CompletableFuture<Granted> reserve(StreamChannel stream, PeerId self, PeerId relay, Duration timeout,
            ClientCounters counters) {
        CompletableFuture<Granted> result = new CompletableFuture<>();
        RelayProto.HopMessage request = RelayProto.HopMessage.newBuilder()
                .setType(RelayProto.HopMessage.Type.RESERVE).build();
        send(stream, request, new StatusReader(timeout, result) {
            @Override
            void ok(ChannelHandlerContext ctx, RelayProto.HopMessage m) {
                ctx.close();
                Granted g;
                try {
                    g = granted(m, self, relay);
                } catch (RelayException e) {
                    counters.reservationsRejected.incrementAndGet();
                    throw e;
                }
                counters.reservationsGranted.incrementAndGet();
                result.complete(g);
            }
        });
        return result;
    }

    /** Sends CONNECT to {@code target}; on OK calls {@code handover} and completes with the stream. */
    static CompletableFuture<StreamChannel> connect(StreamChannel stream, PeerId target, Duration timeout,
            Handover handover) {
        CompletableFuture<StreamChannel> result = new CompletableFuture<>();
        RelayProto.HopMessage request = RelayProto.HopMessage.newBuilder()
                .setType(RelayProto.HopMessage.Type.CONNECT).setPeer(RelayMessages.peer(target)).build();
        send(stream, request, new StatusReader(timeout, result) {
            @Override
            void ok(ChannelHandlerContext ctx, RelayProto.HopMessage m) {
                ByteBuf rest = takeRest(ctx);
                try {
                    handover.handover(stream, rest, CircuitLimitHandler.Limit.of(m.hasLimit(), m.getLimit()));
                } catch (RuntimeException e) {
                    stream.close();
                    result.completeExceptionally(e);
                    return;
                }
                result.complete(stream);
            }
        });
        return result;
    }

    private static void send(StreamChannel stream, RelayProto.HopMessage request, StatusReader reader) {
        stream.eventLoop().execute(() -> {
            stream.pipeline().addLast(reader);
            stream.writeAndFlush(RelayMessages.frame(stream.alloc(), request));
            stream.config().setAutoRead(true);
        });
    }

    /** Validates a reservation answer. */
    static Granted granted(RelayProto.HopMessage m, PeerId self, PeerId relay) {
        if (!m.hasReservation() || !m.getReservation().hasExpire()) {
            throw RelayMessages.malformed("reservation from " + relay + ": missing its expiry");
        }
        RelayProto.Reservation r = m.getReservation();
        long now = System.currentTimeMillis() / 1000;
        if (r.getExpire() <= now) {
            throw new RelayException("reservation from " + relay + " refused: it expires at " + r.getExpire()
                    + " (expected: after now, " + now + ")");
        }
        if (r.hasVoucher()) {
            try {
                Vouchers.verify(r.getVoucher().toByteArray(), relay, self, r.getExpire());
            } catch (RelayException e) {
                throw new RelayException("reservation from " + relay + " refused: " + e.getMessage(), e);
            }
        }
        List<Multiaddr> addrs = new ArrayList<>();
        for (ByteString b : r.getAddrsList()) {
            if (addrs.size() == MAX_ADDRS) {
                break;
            }
            try {
                addrs.add(Multiaddr.fromBytes(b.toByteArray()));
            } catch (MultiaddrFormatException | IllegalArgumentException e) {
                // skipped: one bad address does not spoil the reservation
            }
        }
        return new Granted(r.getExpire(), List.copyOf(addrs), r.hasVoucher());
    }

    /** Reads the relay's STATUS; anything but OK fails {@code result}. */
    private abstract static class StatusReader extends SingleMessageReader {
        private final CompletableFuture<?> result;

        StatusReader(Duration timeout, CompletableFuture<?> result) {
            super(timeout);
            this.result = result;
        }

        abstract void ok(ChannelHandlerContext ctx, RelayProto.HopMessage m);

        @Override
        protected void onMessage(ChannelHandlerContext ctx, byte[] message) {
            try {
                RelayProto.HopMessage m = RelayMessages.parseHop(message);
                if (m.getType() != RelayProto.HopMessage.Type.STATUS) {
                    throw new RelayException("relay sent " + m.getType() + " (expected: STATUS)",
                            RelayStatus.UNEXPECTED_MESSAGE);
                }
                RelayStatus status = RelayMessages.status(m.hasStatus(), m.getStatus());
                if (status != RelayStatus.OK) {
                    throw new RelayException("relay refused: " + status, status);
                }
                ok(ctx, m);
            } catch (RelayException e) {
                ctx.close();
                result.completeExceptionally(e);
            }
        }

        @Override
        protected void onFailure(ChannelHandlerContext ctx, RelayException cause) {
            ctx.close();
            result.completeExceptionally(cause);
        }
    }
}
