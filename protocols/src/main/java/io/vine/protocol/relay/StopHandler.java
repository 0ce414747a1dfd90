package io.vine.protocol.relay;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.vine.core.StreamChannel;
import io.vine.core.peer.PeerId;
import io.vine.protocol.relay.internal.pb.RelayProto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The target's side of a stop stream: a relay this node holds a reservation on announces an
 * initiator; this node answers OK and the stream becomes a relayed connection that the swarm
 * upgrades, as if accepted by the listener of that reservation. A stop stream from a relay this node
 * does not listen through gets CONNECTION_FAILED; a malformed or unexpected message gets its status.
 */
final class StopHandler extends SingleMessageReader {
    private static final Logger log = LoggerFactory.getLogger(StopHandler.class);

    private final RelayTransport transport;
    private final StreamChannel stream;

    StopHandler(RelayTransport transport, StreamChannel stream) {
        super(transport.handshakeTimeout());
        this.transport = transport;
        this.stream = stream;
    }

    @Override
    protected void onMessage(ChannelHandlerContext ctx, byte[] message) {
        PeerId initiator;
        CircuitLimitHandler.Limit limit;
        try {
            RelayProto.StopMessage m = RelayMessages.parseStop(message);
            if (m.getType() != RelayProto.StopMessage.Type.CONNECT) {
                throw new RelayException("stop " + m.getType() + " from a relay", RelayStatus.UNEXPECTED_MESSAGE);
            }
            initiator = RelayMessages.peerId(m.hasPeer(), m.getPeer());
            limit = CircuitLimitHandler.Limit.of(m.hasLimit(), m.getLimit());
        } catch (RelayException e) {
            answer(ctx, e.status().orElse(RelayStatus.MALFORMED_MESSAGE), e.getMessage());
            return;
        }
        PeerId relay = stream.connection().remotePeer();
        CircuitListener listener = transport.listener(relay);
        if (listener == null || !listener.accepting()) {
            answer(ctx, RelayStatus.CONNECTION_FAILED, "not listening through " + relay);
            return;
        }
        log.debug("relayed connection from {} through {}", initiator, relay);
        ctx.writeAndFlush(RelayMessages.frame(ctx.alloc(), RelayMessages.stopStatus(RelayStatus.OK)));
        transport.handover(stream, takeRest(ctx), listener.localAddress(), listener.localAddress(),
                listener.initializer(), limit);
    }

    @Override
    protected void onFailure(ChannelHandlerContext ctx, RelayException cause) {
        if (cause.status().isPresent() && ctx.channel().isActive()) {
            answer(ctx, cause.status().get(), cause.getMessage());
        } else {
            ctx.close();
        }
    }

    private void answer(ChannelHandlerContext ctx, RelayStatus status, String why) {
        log.debug("stop stream {}: {} ({})", stream, status, why);
        ctx.writeAndFlush(RelayMessages.frame(ctx.alloc(), RelayMessages.stopStatus(status)))
                .addListener(ChannelFutureListener.CLOSE);
    }
}
