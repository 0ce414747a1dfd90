package io.vine.swarm.multistream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import java.util.ArrayList;
import java.util.List;

/**
 * The dialer (initiator): sends the header and its first proposal together, then waits for the
 * listener's header and its answer to each proposal, moving to the next proposal on {@code na}.
 */
final class DialerHandler extends NegotiationHandler {
    private final List<String> protocols;
    private final List<String> refused = new ArrayList<>();
    private int next;
    private boolean headerReceived;

    DialerHandler(List<String> protocols, MultistreamSelect.Selection callback, boolean holdUntilRead) {
        super(callback, holdUntilRead);
        this.protocols = protocols;
    }

    @Override
    void start(ChannelHandlerContext ctx) {
        ByteBuf out = ctx.alloc().buffer();
        Messages.write(out, MultistreamSelect.PROTOCOL_ID);
        Messages.write(out, protocols.get(0));
        send(ctx, out);
    }

    @Override
    void onMessage(ChannelHandlerContext ctx, String message) {
        if (!headerReceived) {
            if (!message.equals(MultistreamSelect.PROTOCOL_ID)) {
                fail(ctx, new CorruptedFrameException("multistream header: '" + message + "' (expected: '"
                        + MultistreamSelect.PROTOCOL_ID + "')"));
                return;
            }
            headerReceived = true;
            return;
        }
        String proposed = protocols.get(next);
        if (message.equals(proposed)) {
            selected(ctx, proposed);
        } else if (message.equals(Messages.NA)) {
            refused.add(proposed);
            next++;
            if (next == protocols.size()) {
                fail(ctx, new NegotiationException("no protocol in common", refused));
            } else {
                send(ctx, Messages.write(ctx.alloc().buffer(), protocols.get(next)));
            }
        } else {
            fail(ctx, new CorruptedFrameException("multistream answer to '" + proposed + "': '" + message
                    + "' (expected: the same protocol or 'na')"));
        }
    }
}
