package io.vine.protocol.relay;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.vine.core.crypto.KeyFormatException;
import io.vine.core.crypto.Keys;
import io.vine.core.crypto.PrivKey;
import io.vine.core.crypto.PubKey;
import io.vine.core.multiformats.Varint;
import io.vine.core.peer.PeerId;
import io.vine.protocol.relay.internal.pb.EnvelopeProto;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reservation vouchers: a {@code Voucher} payload in a signed envelope (libp2p/specs
 * RFC/0002-signed-envelopes.md) signed by the relay. The envelope's signature covers the domain
 * {@value #DOMAIN}, the payload type and the payload, each prefixed with its length as a varint.
 *
 * <p>The payload type is the multicodec {@code libp2p-relay-rsvp} (0x0302). go-libp2p and js-libp2p
 * put its two code bytes {@code 03 02} in the envelope, rust-libp2p names the code as a varint
 * ({@code 82 06}); vine writes the former and accepts both.
 */
final class Vouchers {
    static final String DOMAIN = "libp2p-relay-rsvp";
    static final byte[] PAYLOAD_TYPE = {0x03, 0x02};
    private static final byte[] PAYLOAD_TYPE_VARINT = {(byte) 0x82, 0x06};

    private Vouchers() {}

    /** The envelope by which {@code relayKey} vouches for {@code peer}'s reservation until {@code expiration}. */
    static byte[] sign(PrivKey relayKey, PeerId peer, long expiration) {
        PeerId relay = PeerId.fromPublicKey(relayKey.publicKey());
        byte[] payload = EnvelopeProto.Voucher.newBuilder()
                .setRelay(ByteString.copyFrom(relay.toBytes()))
                .setPeer(ByteString.copyFrom(peer.toBytes()))
                .setExpiration(expiration)
                .build().toByteArray();
        byte[] signature = relayKey.sign(signedData(PAYLOAD_TYPE, payload));
        return EnvelopeProto.Envelope.newBuilder()
                .setPublicKey(ByteString.copyFrom(relayKey.publicKey().marshal()))
                .setPayloadType(ByteString.copyFrom(PAYLOAD_TYPE))
                .setPayload(ByteString.copyFrom(payload))
                .setSignature(ByteString.copyFrom(signature))
                .build().toByteArray();
    }

    /**
     * Checks that {@code envelope} is a voucher signed by {@code relay} for {@code peer}, expiring at
     * {@code expiration} (the reservation's expiry).
     *
     * @throws RelayException naming what does not check out
     */
    static void verify(byte[] envelope, PeerId relay, PeerId peer, long expiration) {
        EnvelopeProto.Envelope e;
        EnvelopeProto.Voucher v;
        PubKey key;
        try {
            e = EnvelopeProto.Envelope.parseFrom(envelope);
            key = Keys.unmarshalPublicKey(e.getPublicKey().toByteArray());
        } catch (InvalidProtocolBufferException | KeyFormatException | IllegalArgumentException ex) {
            throw new RelayException("voucher: malformed envelope: " + ex.getMessage(), ex);
        }
        PeerId signer = PeerId.fromPublicKey(key);
        if (!signer.equals(relay)) {
            throw new RelayException("voucher: signed by " + signer + " (expected: the relay " + relay + ")");
        }
        byte[] type = e.getPayloadType().toByteArray();
        if (!Arrays.equals(type, PAYLOAD_TYPE) && !Arrays.equals(type, PAYLOAD_TYPE_VARINT)) {
            throw new RelayException("voucher: payload type " + java.util.HexFormat.of().formatHex(type)
                    + " (expected: 0302, libp2p-relay-rsvp)");
        }
        byte[] payload = e.getPayload().toByteArray();
        if (!key.verify(signedData(type, payload), e.getSignature().toByteArray())) {
            throw new RelayException("voucher: bad signature");
        }
        try {
            v = EnvelopeProto.Voucher.parseFrom(payload);
        } catch (InvalidProtocolBufferException ex) {
            throw new RelayException("voucher: malformed payload: " + ex.getMessage(), ex);
        }
        if (!Arrays.equals(v.getRelay().toByteArray(), relay.toBytes())) {
            throw new RelayException("voucher: for another relay (expected: " + relay + ")");
        }
        if (!Arrays.equals(v.getPeer().toByteArray(), peer.toBytes())) {
            throw new RelayException("voucher: for another peer (expected: " + peer + ")");
        }
        if (!v.hasExpiration() || v.getExpiration() != expiration) {
            throw new RelayException("voucher: expiration " + v.getExpiration() + " (expected: "
                    + expiration + ", the reservation's)");
        }
    }

    private static byte[] signedData(byte[] type, byte[] payload) {
        byte[] domain = DOMAIN.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(domain.length + type.length + payload.length + 12);
        for (byte[] part : new byte[][] {domain, type, payload}) {
            out.writeBytes(Varint.encode(part.length));
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
