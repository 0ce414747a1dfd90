package io.vine.protocol.relay;

import com.google.protobuf.ByteString;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.vine.core.Connection;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.multiaddr.MultiaddrProtocol;
import io.vine.core.peer.PeerId;
import io.vine.protocol.relay.internal.pb.RelayProto;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One inbound hop stream at the relay: reads the request and answers a RESERVE itself, or hands a
 * CONNECT to a {@link CircuitSetup}. Every refusal is a STATUS with the spec's code, after which the
 * stream closes; the relay goes on serving others.
 */
final class HopHandler extends SingleMessageReader {
    private static final Logger log = LoggerFactory.getLogger(HopHandler.class);

    private final RelayService service;
    private final io.vine.core.StreamChannel stream;
    private CircuitSetup setup;

    HopHandler(RelayService service, io.vine.core.StreamChannel stream) {
        super(service.config().handshakeTimeout());
        this.service = service;
        this.stream = stream;
    }

    @Override
    protected void onMessage(ChannelHandlerContext ctx, byte[] bytes) {
        RelayProto.HopMessage m;
        try {
            m = RelayMessages.parseHop(bytes);
        } catch (RelayException e) {
            refuse(ctx, RelayStatus.MALFORMED_MESSAGE, e.getMessage(), false);
            return;
        }
        switch (m.getType()) {
            case RESERVE -> reserve(ctx);
            case CONNECT -> connect(ctx, m);
            default -> refuse(ctx, RelayStatus.UNEXPECTED_MESSAGE, "hop " + m.getType() + " from a client", false);
        }
    }

    @Override
    protected void onFailure(ChannelHandlerContext ctx, RelayException cause) {
        log.debug("hop stream {}: {}", stream, cause.getMessage());
        if (setup != null) {
            setup.hopFailed("hop stream: " + cause.getMessage());
            ctx.close();
        } else if (cause.status().isPresent() && ctx.channel().isActive()) {
            refuse(ctx, cause.status().get(), cause.getMessage(), false);
        } else {
            ctx.close();
        }
    }

    private void reserve(ChannelHandlerContext ctx) {
        Connection c = stream.connection();
        PeerId peer = c.remotePeer();
        if (RelayMessages.relayed(c.remoteAddress()) || !service.config().reservationPolicy().test(peer)) {
            refuse(ctx, RelayStatus.PERMISSION_DENIED, "reservation of " + peer + " not allowed", true);
            return;
        }
        long now = System.currentTimeMillis();
        long expire = (now + service.config().reservationTtl().toMillis()) / 1000;
        RelayStatus status = service.store().reserve(peer, c, ip(c.remoteAddress()), now, expire * 1000);
        if (status != RelayStatus.OK) {
            refuse(ctx, status, "reservation of " + peer + " refused", true);
            return;
        }
        service.counters().reservationsAccepted.incrementAndGet();
        RelayProto.Reservation.Builder r = RelayProto.Reservation.newBuilder().setExpire(expire)
                .setVoucher(ByteString.copyFrom(Vouchers.sign(service.context().privateKey(), peer, expire)));
        service.publicAddresses().forEach(a -> r.addAddrs(ByteString.copyFrom(a.toBytes())));
        RelayProto.HopMessage.Builder reply = RelayProto.HopMessage.newBuilder()
                .setType(RelayProto.HopMessage.Type.STATUS).setStatus(RelayProto.Status.OK).setReservation(r);
        if (!service.config().unlimitedPeers().contains(peer)) {
            reply.setLimit(RelayMessages.limit(service.config().circuitDuration(), service.config().circuitBytes()));
        }
        ctx.writeAndFlush(RelayMessages.frame(ctx.alloc(), reply.build())).addListener(ChannelFutureListener.CLOSE);
        log.debug("reservation of {} until {}", peer, expire);
    }

    private void connect(ChannelHandlerContext ctx, RelayProto.HopMessage m) {
        Connection c = stream.connection();
        PeerId src = c.remotePeer();
        PeerId dst;
        try {
            dst = RelayMessages.peerId(m.hasPeer(), m.getPeer());
        } catch (RelayException e) {
            refuse(ctx, RelayStatus.MALFORMED_MESSAGE, e.getMessage(), false);
            return;
        }
        if (RelayMessages.relayed(c.remoteAddress()) || !service.config().connectPolicy().test(src, dst)) {
            refuseCircuit(ctx, RelayStatus.PERMISSION_DENIED, "circuit " + src + " -> " + dst + " not allowed");
            return;
        }
        Optional<ReservationStore.Entry> target = service.store().reservation(dst, System.currentTimeMillis());
        if (target.isEmpty() || !target.get().connection().isOpen()) {
            refuseCircuit(ctx, RelayStatus.NO_RESERVATION, "no reservation of " + dst);
            return;
        }
        if (service.store().openCircuit(src, dst) != RelayStatus.OK) {
            refuseCircuit(ctx, RelayStatus.RESOURCE_LIMIT_EXCEEDED, "circuit " + src + " -> " + dst + ": circuit limit");
            return;
        }
        setup = new CircuitSetup(service, stream, ctx, this, src, dst);
        setup.start(target.get().connection());
    }

    private void refuseCircuit(ChannelHandlerContext ctx, RelayStatus status, String why) {
        service.counters().circuitsRefused.incrementAndGet();
        refuse(ctx, status, why, false);
    }

    private void refuse(ChannelHandlerContext ctx, RelayStatus status, String why, boolean reservation) {
        if (reservation) {
            service.counters().reservationsRefused.incrementAndGet();
        }
        log.debug("hop {}: {} ({})", stream, status, why);
        ctx.writeAndFlush(RelayMessages.frame(ctx.alloc(), RelayMessages.hopStatus(status)))
                .addListener(ChannelFutureListener.CLOSE);
    }

    /** The IP of an address, the key of the per-IP limit; null for an address without one. */
    static String ip(Multiaddr address) {
        if (address == null) {
            return null;
        }
        return address.value(MultiaddrProtocol.IP4).or(() -> address.value(MultiaddrProtocol.IP6)).orElse(null);
    }
}
