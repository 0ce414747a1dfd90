package io.vine.protocol.dcutr;

import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import io.vine.core.peer.PeerId;
import io.vine.core.multiaddr.Multiaddr;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The spec's peer B, which received the relayed connection: sends CONNECT and times the answer,
 * sends SYNC, waits half the round trip and dials; up to {@link DcutrConfig#maxAttempts} rounds on
 * the same stream.
 */
final class Initiator extends Punch {
    private final Runnable onEnd;
    private int attempt;
    private long sentAt;
    private boolean awaitingConnect;

    Initiator(Dcutr owner, PeerId peer, Runnable onEnd) {
        super(owner, peer);
        this.onEnd = onEnd;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        super.handlerAdded(ctx);
        ctx.executor().execute(this::sendConnect);
    }

    private void sendConnect() {
        if (done) {
            return;
        }
        attempt++;
        owner.metrics.attempts.increment();
        awaitingConnect = true;
        sentAt = System.nanoTime();
        ctx.writeAndFlush(HolePunchMessage.connect(owner.localAddresses()));
        expectWithin(owner.config.messageTimeout(), "CONNECT answer");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HolePunchMessage m) || done) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (m.type() != HolePunchMessage.Type.CONNECT || !awaitingConnect) {
            resetMalformed("dcutr: unexpected " + m.type() + " (expected: CONNECT after our CONNECT)");
            return;
        }
        awaitingConnect = false;
        cancelTimer();
        long rtt = System.nanoTime() - sentAt;
        List<Multiaddr> targets = m.addresses().stream().filter(Dcutr::dialable).toList();
        if (targets.isEmpty()) {
            retryOrFail(DcutrMetrics.NO_ADDRESSES, "the peer's CONNECT has no address to dial");
            return;
        }
        ctx.writeAndFlush(HolePunchMessage.sync());
        dialing = true;
        ctx.executor().schedule(() -> dial(targets), rtt / 2, TimeUnit.NANOSECONDS);
    }

    private void dial(List<Multiaddr> targets) {
        if (done) {
            return;
        }
        // B, who was reached through the relay, is the server of the hole-punched connection
        // (DCUtR spec: "A is assumed to be the client and B the server").
        dialAll(targets, true).whenComplete((c, e) -> {
            dialing = false;
            if (c != null) {
                succeeded(c);
            } else {
                retryOrFail(DcutrMetrics.DIAL_FAILED, "attempt " + attempt + ": " + e.getMessage());
            }
        });
    }

    private void retryOrFail(String reason, String detail) {
        if (done) {
            return;
        }
        if (attempt < owner.config.maxAttempts() && ctx.channel().isActive()) {
            sendConnect();
        } else {
            failed(reason, detail);
            ctx.channel().close();
        }
    }

    @Override
    void ended() {
        onEnd.run();
    }
}
