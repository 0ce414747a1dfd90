package io.vine.swarm.multistream;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The listener (responder): sends its header at once, checks the dialer's header, then echoes the
 * first supported proposal or answers {@code na}, up to {@link MultistreamSelect#MAX_REJECTIONS}
 * times. {@code ls} is answered with {@code na}: the listing is optional and a predicate cannot be
 * listed.
 */
final class ListenerHandler extends NegotiationHandler {
    private final Predicate<String> supported;
    private final List<String> refused = new ArrayList<>();
    private boolean headerReceived;

    ListenerHandler(Predicate<String> supported, MultistreamSelect.Selection callback) {
        super(callback, false);
        this.supported = supported;
    }

    @Override
    void start(ChannelHandlerContext ctx) {
        send(ctx, Messages.write(ctx.alloc().buffer(), MultistreamSelect.PROTOCOL_ID));
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
        boolean accept;
        try {
            accept = !message.equals(Messages.LS) && !message.equals(Messages.NA) && supported.test(message);
        } catch (RuntimeException e) {
            fail(ctx, e);
            return;
        }
        if (accept) {
            send(ctx, Messages.write(ctx.alloc().buffer(), message));
            selected(ctx, message);
            return;
        }
        refused.add(message);
        if (refused.size() > MultistreamSelect.MAX_REJECTIONS) {
            fail(ctx, new NegotiationException(
                    "too many unsupported proposals (expected: <= " + MultistreamSelect.MAX_REJECTIONS + ")",
                    refused));
            return;
        }
        send(ctx, Messages.write(ctx.alloc().buffer(), Messages.NA));
    }
}
