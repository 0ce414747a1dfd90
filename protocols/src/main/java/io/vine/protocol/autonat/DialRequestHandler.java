package io.vine.protocol.autonat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.vine.core.ProtocolContext;
import io.vine.core.StreamChannel;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.peer.PeerId;
import io.vine.protocol.autonat.internal.pb.AutoNatProto;
import io.vine.protocol.autonat.internal.pb.AutoNatProto.DialResponse.ResponseStatus;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's side of one {@code /libp2p/autonat/2/dial-request} stream: reads the DialRequest,
 * applies the rate limits (E_REQUEST_REJECTED), selects the first address it is willing to dial
 * (E_DIAL_REFUSED when none), asks for dial data when that address's IP is not the client's observed
 * one, dials back and answers with the DialResponse. Malformed or unexpected messages, data chunks
 * over 4096 bytes and the request timeout reset the stream without a dial. Sits behind a
 * {@link io.vine.core.codec.VarintFrameDecoder}; runs on the stream's event loop.
 */
final class DialRequestHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(DialRequestHandler.class);

    private enum State { REQUEST, DIAL_DATA, DIALING, DONE }

    private final ProtocolContext context;
    private final AutoNatConfig config;
    private final RateLimiter limiter;
    private final PeerId client;
    private final Multiaddr observed;
    private State state = State.REQUEST;
    private boolean admitted;
    private boolean dialing;
    private ScheduledFuture<?> timer;
    private Multiaddr selected;
    private int selectedIndex;
    private long nonce;
    private long dataNeeded;
    private long dataReceived;

    DialRequestHandler(ProtocolContext context, AutoNatConfig config, RateLimiter limiter, PeerId client,
            Multiaddr observed) {
        this.context = context;
        this.config = config;
        this.limiter = limiter;
        this.client = client;
        this.observed = observed;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        timer = ctx.executor().schedule(() -> abort(ctx, "request timed out after " + config.requestTimeout()),
                config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (state == State.DONE) {
                return;
            }
            if (!(msg instanceof ByteBuf frame)) {
                abort(ctx, "unexpected " + msg.getClass().getSimpleName());
                return;
            }
            AutoNatProto.Message m = Messages.parseMessage(frame);
            switch (state) {
                case REQUEST -> {
                    if (!m.hasDialRequest()) {
                        abort(ctx, "first message is " + m.getMsgCase() + " (expected: DIALREQUEST)");
                    } else {
                        onRequest(ctx, m.getDialRequest());
                    }
                }
                case DIAL_DATA -> {
                    if (!m.hasDialDataResponse()) {
                        abort(ctx, "got " + m.getMsgCase() + " (expected: DIALDATARESPONSE)");
                    } else {
                        onData(ctx, m.getDialDataResponse());
                    }
                }
                default -> abort(ctx, "got " + m.getMsgCase() + " while dialing back (expected: nothing)");
            }
        } catch (AutoNatException e) {
            abort(ctx, e.getMessage());
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onRequest(ChannelHandlerContext ctx, AutoNatProto.DialRequest request) {
        if (!limiter.tryStart(client)) {
            respond(ctx, Messages.refusal(ResponseStatus.E_REQUEST_REJECTED), "rate limited");
            return;
        }
        admitted = true;
        if (request.getAddrsCount() > config.maxAddressesPerRequest()) {
            respond(ctx, Messages.refusal(ResponseStatus.E_REQUEST_REJECTED),
                    request.getAddrsCount() + " addresses (expected: <= " + config.maxAddressesPerRequest() + ")");
            return;
        }
        nonce = request.getNonce();
        List<com.google.protobuf.ByteString> addrs = request.getAddrsList();
        for (int i = 0; i < addrs.size() && selected == null; i++) {
            Multiaddr a = parse(addrs.get(i));
            if (a != null && willDial(a)) {
                selected = a.withoutPeerId();
                selectedIndex = i;
            }
        }
        if (selected == null) {
            respond(ctx, Messages.refusal(ResponseStatus.E_DIAL_REFUSED), "no address it would dial");
            return;
        }
        Optional<InetAddress> observedIp = Addresses.ip(observed);
        if (observedIp.isPresent() && observedIp.equals(Addresses.ip(selected))) {
            dial(ctx);
            return;
        }
        if (!limiter.tryDialData()) {
            respond(ctx, Messages.refusal(ResponseStatus.E_REQUEST_REJECTED), "dial data rate limited");
            return;
        }
        state = State.DIAL_DATA;
        dataNeeded = config.dialDataBytes();
        ctx.writeAndFlush(Messages.frame(ctx.alloc(), AutoNatProto.Message.newBuilder()
                .setDialDataRequest(AutoNatProto.DialDataRequest.newBuilder()
                        .setAddrIdx(selectedIndex).setNumBytes(dataNeeded)).build()));
    }

    private void onData(ChannelHandlerContext ctx, AutoNatProto.DialDataResponse data) {
        int size = data.getData().size();
        if (size > AutoNatConfig.MAX_DATA_CHUNK) {
            abort(ctx, "dial data chunk of " + size + " bytes (expected: <= " + AutoNatConfig.MAX_DATA_CHUNK + ")");
            return;
        }
        dataReceived += size;
        if (dataReceived >= dataNeeded) {
            dial(ctx);
        }
    }

    private void dial(ChannelHandlerContext ctx) {
        state = State.DIALING;
        dialing = true;
        DialBacker.dialBack(context, selected, client, nonce, config.dialTimeout())
                .whenComplete((status, e) -> ctx.executor().execute(() -> {
                    dialing = false;
                    if (state == State.DIALING) {
                        respond(ctx, e != null
                                ? Messages.refusal(ResponseStatus.E_INTERNAL_ERROR)
                                : Messages.dialResponse(ResponseStatus.OK, selectedIndex, status), "dialed " + selected);
                    } else {
                        finish();
                    }
                }));
    }

    private boolean willDial(Multiaddr a) {
        Optional<PeerId> peer = a.peerId();
        return (peer.isEmpty() || peer.get().equals(client)) && Addresses.testable(a, config.allowPrivateAddresses());
    }

    private static Multiaddr parse(com.google.protobuf.ByteString bytes) {
        try {
            return Multiaddr.fromBytes(bytes.toByteArray());
        } catch (RuntimeException e) {
            return null;
        }
    }

    private void respond(ChannelHandlerContext ctx, AutoNatProto.Message response, String why) {
        log.debug("autonat request of {}: {} ({})", client, response.getDialResponse().getStatus(), why);
        finish();
        ctx.writeAndFlush(Messages.frame(ctx.alloc(), response)).addListener(ChannelFutureListener.CLOSE);
    }

    private void abort(ChannelHandlerContext ctx, String why) {
        if (state == State.DONE) {
            return;
        }
        log.debug("autonat request of {} refused: {}", client, why);
        finish();
        StreamChannel.abort(ctx.channel());
    }

    private void finish() {
        state = State.DONE;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        if (admitted && !dialing) {
            // A dial-back in flight keeps its place in maxConcurrentRequests until it ends.
            admitted = false;
            limiter.done();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        finish();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        abort(ctx, cause.toString());
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        finish();
    }
}
