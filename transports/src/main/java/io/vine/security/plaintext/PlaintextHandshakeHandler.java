package io.vine.security.plaintext;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.CorruptedFrameException;
import io.vine.core.multiformats.Varint;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.vine.core.HandshakeException;
import io.vine.core.PeerIdMismatchException;
import io.vine.core.SecureSession;
import io.vine.core.SecurityContext;
import io.vine.core.VineException;
import io.vine.core.crypto.Keys;
import io.vine.core.crypto.PubKey;
import io.vine.core.peer.PeerId;
import io.vine.security.internal.HandshakeHandler;
import io.vine.security.plaintext.pb.PlaintextProto.Exchange;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Sends our Exchange as soon as it is added, reads the remote's (unsigned-varint length prefix,
 * bounded), checks it, completes the session future and removes itself; bytes read past the Exchange
 * go on down the pipeline unchanged.
 */
final class PlaintextHandshakeHandler extends HandshakeHandler {
    private final SecurityContext context;
    private final int maxExchangeSize;
    private final PeerId localPeer;

    PlaintextHandshakeHandler(SecurityContext context, int maxExchangeSize, CompletableFuture<SecureSession> result) {
        super("plaintext", result);
        this.context = context;
        this.maxExchangeSize = maxExchangeSize;
        this.localPeer = PeerId.fromPublicKey(context.localKey().publicKey());
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        byte[] exchange = Exchange.newBuilder()
                .setId(ByteString.copyFrom(localPeer.toBytes()))
                .setPubkey(ByteString.copyFrom(context.localKey().publicKey().marshal()))
                .build()
                .toByteArray();
        ByteBuf frame = ctx.alloc().buffer(5 + exchange.length);
        Varint.write(frame, exchange.length);
        frame.writeBytes(exchange);
        ctx.writeAndFlush(frame).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                fail(ctx, new HandshakeException("plaintext: cannot send Exchange: " + f.cause(), f.cause()));
            }
        });
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (result.isDone()) {
            in.skipBytes(in.readableBytes()); // failed: the connection is closing
            return;
        }
        try {
            int start = in.readerIndex();
            long length = readLength(in);
            if (length < 0 || in.readableBytes() < length) {
                in.readerIndex(start);
                return;
            }
            byte[] message = new byte[(int) length];
            in.readBytes(message);
            SecureSession session = verify(message);
            result.complete(session);
            ctx.pipeline().remove(this);
        } catch (HandshakeException e) {
            in.skipBytes(in.readableBytes());
            fail(ctx, e);
        }
    }

    /** The Exchange's length prefix, or -1 when it has not fully arrived. */
    private long readLength(ByteBuf in) throws HandshakeException {
        long length;
        try {
            length = Varint.tryRead(in);
        } catch (CorruptedFrameException e) {
            throw new HandshakeException("plaintext: bad length prefix: " + e.getMessage(), e);
        }
        if (length > maxExchangeSize) {
            throw new HandshakeException("plaintext: Exchange of " + length + " bytes (expected: <= " + maxExchangeSize + ")");
        }
        return length == Varint.INCOMPLETE ? -1 : length;
    }

    private SecureSession verify(byte[] message) throws HandshakeException {
        Exchange exchange;
        try {
            exchange = Exchange.parseFrom(message);
        } catch (InvalidProtocolBufferException e) {
            throw new HandshakeException("plaintext: malformed Exchange: " + e.getMessage(), e);
        }
        if (!exchange.hasId() || !exchange.hasPubkey()) {
            throw new HandshakeException("plaintext: Exchange without id or pubkey");
        }
        PubKey key;
        try {
            key = Keys.unmarshalPublicKey(exchange.getPubkey().toByteArray());
        } catch (VineException e) {
            throw new HandshakeException("plaintext: bad public key: " + e.getMessage(), e);
        }
        PeerId remote = PeerId.fromPublicKey(key);
        if (!Arrays.equals(remote.toBytes(), exchange.getId().toByteArray())) {
            throw new HandshakeException("plaintext: the remote's peer id does not match its public key " + remote);
        }
        Optional<PeerId> expected = context.expectedRemote();
        if (expected.isPresent() && !expected.get().equals(remote)) {
            throw new PeerIdMismatchException(expected.get(), remote);
        }
        return new SecureSession(localPeer, remote, key, Optional.empty());
    }
}
