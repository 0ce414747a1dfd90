package io.vine.security.noise;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.vine.core.HandshakeException;
import io.vine.core.PeerIdMismatchException;
import io.vine.core.SecureSession;
import io.vine.core.SecurityContext;
import io.vine.core.peer.PeerId;
import io.vine.security.internal.HandshakeHandler;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Runs the XX handshake on a connection: frames the three handshake messages, checks the remote's
 * signed payload and expected peer id, and on success replaces itself with the record layer
 * ({@link NoiseRecordDecoder}, {@link NoiseRecordEncoder}). The session future completes on the event
 * loop before bytes that arrived after the last handshake message are passed on, so its callbacks can
 * still extend the pipeline.
 */
final class NoiseHandshakeHandler extends HandshakeHandler {
    private final HandshakeState handshake;
    private final SecurityContext context;
    private final PeerId localPeer;
    private final byte[] localPayload;
    private HandshakePayload.Remote remote;
    private boolean done;

    NoiseHandshakeHandler(HandshakeState handshake, SecurityContext context, PeerId localPeer, byte[] localPayload,
            CompletableFuture<SecureSession> result) {
        super("noise", result);
        this.handshake = handshake;
        this.context = context;
        this.localPeer = localPeer;
        this.localPayload = localPayload;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (context.initiator()) {
            try {
                send(ctx, handshake.writeMessage(new byte[0])); // -> e, with an empty payload
            } catch (HandshakeException e) {
                fail(ctx, e);
            }
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (!done && in.readableBytes() >= NoiseFraming.LENGTH_PREFIX) {
            int length = in.getUnsignedShort(in.readerIndex());
            if (in.readableBytes() < NoiseFraming.LENGTH_PREFIX + length) {
                return;
            }
            in.skipBytes(NoiseFraming.LENGTH_PREFIX);
            byte[] message = new byte[length];
            in.readBytes(message);
            try {
                onMessage(ctx, message);
            } catch (HandshakeException e) {
                fail(ctx, e);
            } catch (RuntimeException e) {
                fail(ctx, new HandshakeException("noise: handshake failed: " + e, e));
            }
        }
        if (result.isCompletedExceptionally()) {
            in.skipBytes(in.readableBytes()); // failed: the connection is closing, drop the rest
        }
    }

    private void onMessage(ChannelHandlerContext ctx, byte[] message) throws HandshakeException {
        byte[] payload = handshake.readMessage(message);
        switch (handshake.step()) {
            case 1 -> send(ctx, handshake.writeMessage(localPayload)); // <- e, ee, s, es, payload
            case 2 -> { // initiator: the responder proved its identity; answer -> s, se, payload
                authenticate(payload);
                send(ctx, handshake.writeMessage(localPayload));
                complete(ctx);
            }
            default -> { // responder: the initiator proved its identity
                authenticate(payload);
                complete(ctx);
            }
        }
    }

    private void authenticate(byte[] payload) throws HandshakeException {
        remote = HandshakePayload.verify(payload, handshake.remoteStatic());
        Optional<PeerId> expected = context.expectedRemote();
        if (expected.isPresent() && !expected.get().equals(remote.peerId())) {
            throw new PeerIdMismatchException(expected.get(), remote.peerId());
        }
    }

    private void complete(ChannelHandlerContext ctx) {
        CipherState[] ciphers = handshake.split(); // {send, receive}
        List<String> local = context.muxers();
        Optional<String> muxer = context.initiator()
                ? HandshakePayload.selectMuxer(local, remote.muxers())
                : HandshakePayload.selectMuxer(remote.muxers(), local);
        ChannelPipeline pipeline = ctx.pipeline();
        pipeline.addAfter(ctx.name(), null, new NoiseRecordEncoder(ciphers[0]));
        pipeline.addAfter(ctx.name(), null, new NoiseRecordDecoder(ciphers[1]));
        done = true;
        result.complete(new SecureSession(localPeer, remote.peerId(), remote.key(), muxer));
        pipeline.remove(this); // passes on what was read past the handshake, to the record decoder
    }

    private void send(ChannelHandlerContext ctx, byte[] message) throws HandshakeException {
        if (message.length > NoiseFraming.MAX_MESSAGE) {
            throw new HandshakeException("noise: handshake message " + handshake.step() + " is " + message.length
                    + " bytes (expected: <= " + NoiseFraming.MAX_MESSAGE + ")");
        }
        ctx.writeAndFlush(NoiseFraming.frame(ctx.alloc(), message)).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                fail(ctx, new HandshakeException("noise: cannot send handshake message: " + f.cause(), f.cause()));
            }
        });
    }

    @Override
    protected void fail(ChannelHandlerContext ctx, HandshakeException e) {
        done = true;
        super.fail(ctx, e);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        done = true;
        handshake.close();
        super.handlerRemoved0(ctx);
    }
}
