package io.vine.protocol.autonat;

import com.google.protobuf.ByteString;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.vine.core.Reachability;
import io.vine.core.StreamChannel;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.peer.PeerId;
import io.vine.protocol.autonat.internal.pb.AutoNatProto;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The client's side of one {@code /libp2p/autonat/2/dial-request} stream: sends the DialRequest,
 * pays for dial data when asked (up to {@link AutoNatConfig#maxDialDataBytes}, else resets the
 * stream), and turns the DialResponse into a {@link DialResult}. A reported successful dial counts
 * only when a dial-back with this request's nonce arrived over the same transport; otherwise the
 * response is discarded and {@code result} fails. Runs on the stream's event loop.
 */
final class DialRequester extends ChannelInboundHandlerAdapter {
    private static final ByteString CHUNK = ByteString.copyFrom(new byte[AutoNatConfig.MAX_DATA_CHUNK]);

    private final PeerId server;
    private final PendingChecks.Pending pending;
    private final AutoNatConfig config;
    private final CompletableFuture<DialResult> result;
    private boolean paid;
    private ScheduledFuture<?> timer;

    DialRequester(PeerId server, PendingChecks.Pending pending, AutoNatConfig config,
            CompletableFuture<DialResult> result) {
        this.server = server;
        this.pending = pending;
        this.config = config;
        this.result = result;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        timer = ctx.executor().schedule(() -> fail(ctx, new AutoNatException(
                "no answer from " + server + " within " + config.requestTimeout())),
                config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        AutoNatProto.DialRequest.Builder request = AutoNatProto.DialRequest.newBuilder().setNonce(pending.nonce);
        pending.addresses.forEach(a -> request.addAddrs(ByteString.copyFrom(a.toBytes())));
        ctx.writeAndFlush(Messages.frame(ctx.alloc(), AutoNatProto.Message.newBuilder().setDialRequest(request).build()))
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        fail(ctx, new AutoNatException("sending the dial request failed: " + f.cause(), f.cause()));
                    }
                });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (result.isDone() || !(msg instanceof ByteBuf frame)) {
                return;
            }
            AutoNatProto.Message m = Messages.parseMessage(frame);
            if (m.hasDialDataRequest() && !paid) {
                pay(ctx, m.getDialDataRequest());
            } else if (m.hasDialResponse()) {
                DialResult r = evaluate(m.getDialResponse());
                cancelTimer();
                result.complete(r);
                ctx.close();
            } else {
                throw new AutoNatException("server " + server + " sent " + m.getMsgCase()
                        + " (expected: " + (paid ? "DIALRESPONSE" : "DIALDATAREQUEST or DIALRESPONSE") + ")");
            }
        } catch (AutoNatException e) {
            fail(ctx, e);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void pay(ChannelHandlerContext ctx, AutoNatProto.DialDataRequest ask) {
        if (ask.getAddrIdx() >= pending.addresses.size()) {
            throw new AutoNatException("dial data request for address " + ask.getAddrIdx()
                    + " (expected: < " + pending.addresses.size() + ")");
        }
        long bytes = ask.getNumBytes();
        if (bytes < 0 || bytes > config.maxDialDataBytes()) {
            throw new AutoNatException("server " + server + " asks for " + Long.toUnsignedString(bytes)
                    + " bytes of dial data (expected: <= " + config.maxDialDataBytes() + ")");
        }
        paid = true;
        for (long sent = 0; sent < bytes; sent += AutoNatConfig.MAX_DATA_CHUNK) {
            ctx.write(Messages.frame(ctx.alloc(), AutoNatProto.Message.newBuilder()
                    .setDialDataResponse(AutoNatProto.DialDataResponse.newBuilder().setData(CHUNK)).build()));
        }
        ctx.flush();
    }

    private DialResult evaluate(AutoNatProto.DialResponse response) {
        DialResult.Status status = switch (response.getStatus()) {
            case OK -> DialResult.Status.OK;
            case E_REQUEST_REJECTED -> DialResult.Status.REQUEST_REJECTED;
            case E_DIAL_REFUSED -> DialResult.Status.DIAL_REFUSED;
            case E_INTERNAL_ERROR -> DialResult.Status.INTERNAL_ERROR;
            default -> throw new AutoNatException("response status " + response.getStatusValue()
                    + " (expected: 0, 100, 101 or 200)");
        };
        if (status != DialResult.Status.OK) {
            return new DialResult(server, status, Optional.empty(), Reachability.UNKNOWN);
        }
        int index = response.getAddrIdx();
        if (index < 0 || index >= pending.addresses.size()) {
            throw new AutoNatException("response addrIdx " + Integer.toUnsignedString(index)
                    + " (expected: < " + pending.addresses.size() + ")");
        }
        Multiaddr address = pending.addresses.get(index);
        Reachability reachability = switch (response.getDialStatus()) {
            case OK -> {
                Optional<Multiaddr> on = pending.dialedBackOn();
                if (on.isEmpty() || !Addresses.sameTransport(on.get(), address)) {
                    throw new AutoNatException("server " + server + " reports a dial to " + address
                            + " but no dial-back with this request's nonce arrived over that transport");
                }
                yield Reachability.PUBLIC;
            }
            case E_DIAL_ERROR -> Reachability.PRIVATE;
            case E_DIAL_BACK_ERROR -> Reachability.UNKNOWN;
            default -> throw new AutoNatException("dial status " + response.getDialStatusValue()
                    + " (expected: 100, 101 or 200)");
        };
        return new DialResult(server, status, Optional.of(address), reachability);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(ctx, new AutoNatException("stream to " + server + " closed before a dial response"));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, new AutoNatException("dial request to " + server + " failed: " + cause.getMessage(), cause));
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelTimer();
    }

    private void fail(ChannelHandlerContext ctx, AutoNatException cause) {
        cancelTimer();
        if (result.completeExceptionally(cause)) {
            StreamChannel.abort(ctx.channel());
        }
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
