package io.vine.protocol.dcutr;

import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.peer.PeerId;
import java.util.List;

/**
 * The spec's peer A, which dialed through the relay: answers each CONNECT with its own, and on SYNC
 * dials at once, as the responding side of the simultaneous open. It gives up when the initiator
 * ends the stream without a direct connection.
 */
final class Responder extends Punch {
    private List<Multiaddr> targets;
    private String lastFailure;
    private int round;

    Responder(Dcutr owner, PeerId peer) {
        super(owner, peer);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        super.handlerAdded(ctx);
        expectWithin(owner.config.messageTimeout(), "CONNECT");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HolePunchMessage m) || done) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (m.type() == HolePunchMessage.Type.CONNECT && targets == null) {
            // A new round may start while this side still dials for the last one: the initiator decides.
            round++;
            owner.metrics.attempts.increment();
            targets = m.addresses().stream().filter(Dcutr::dialable).toList();
            ctx.writeAndFlush(HolePunchMessage.connect(owner.localAddresses()));
            expectWithin(owner.config.messageTimeout(), "SYNC");
        } else if (m.type() == HolePunchMessage.Type.SYNC && targets != null) {
            cancelTimer();
            List<Multiaddr> now = targets;
            targets = null;
            if (now.isEmpty()) {
                lastFailure = DcutrMetrics.NO_ADDRESSES;
                expectWithin(owner.config.messageTimeout().plus(owner.config.dialTimeout()), "CONNECT");
                return;
            }
            dialing = true;
            int mine = round;
            // A dialed through the relay: it is the client of the hole-punched connection.
            dialAll(now, false).whenComplete((c, e) -> {
                if (c != null) {
                    dialing = false;
                    succeeded(c);
                    return;
                }
                if (mine != round && ctx.channel().isActive()) {
                    return; // a later round runs
                }
                dialing = false;
                if (!ctx.channel().isActive()) {
                    failed(DcutrMetrics.DIAL_FAILED, "direct dial failed: " + e.getMessage());
                } else {
                    lastFailure = DcutrMetrics.DIAL_FAILED;
                    expectWithin(owner.config.messageTimeout().plus(owner.config.dialTimeout()), "CONNECT");
                }
            });
        } else {
            resetMalformed("dcutr: unexpected " + m.type() + (targets == null ? " (expected: CONNECT)" : " (expected: SYNC)"));
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!dialing) {
            failed(lastFailure != null ? lastFailure : DcutrMetrics.STREAM_CLOSED,
                    "the peer ended the hole punch without a direct connection");
        }
        ctx.fireChannelInactive();
    }
}
