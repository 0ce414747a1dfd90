package io.vine.protocol.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.vine.core.crypto.Keys;
import io.vine.core.crypto.PrivKey;
import io.vine.core.peer.PeerId;
import io.vine.protocol.relay.internal.pb.EnvelopeProto;
import io.vine.protocol.relay.internal.pb.RelayProto;
import org.junit.jupiter.api.Test;

/** Vouchers: a relay that lies about a reservation is caught by the client. */
class VouchersTest {
    private final PrivKey relayKey = Keys.generateEd25519();
    private final PeerId relay = PeerId.fromPublicKey(relayKey.publicKey());
    private final PeerId self = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
    private final long expire = System.currentTimeMillis() / 1000 + 3600;

    @Test
    void aVoucherOfTheRelayForThisPeerChecksOut() throws Exception {
        byte[] v = Vouchers.sign(relayKey, self, expire);
        assertThatCode(() -> Vouchers.verify(v, relay, self, expire)).doesNotThrowAnyException();
        EnvelopeProto.Envelope e = EnvelopeProto.Envelope.parseFrom(v);
        assertThat(e.getPayloadType().toByteArray()).containsExactly(0x03, 0x02);
        assertThat(HopClient.granted(reservation(v, expire), self, relay).voucher()).isTrue();
    }

    @Test
    void aVoucherSignedByAnotherKeyIsRejected() {
        byte[] v = Vouchers.sign(Keys.generateEd25519(), self, expire);
        assertThatThrownBy(() -> HopClient.granted(reservation(v, expire), self, relay))
                .isInstanceOf(RelayException.class).hasMessageContaining("signed by");
    }

    @Test
    void aVoucherForAnotherPeerIsRejected() {
        byte[] v = Vouchers.sign(relayKey, PeerId.fromPublicKey(Keys.generateEd25519().publicKey()), expire);
        assertThatThrownBy(() -> Vouchers.verify(v, relay, self, expire)).hasMessageContaining("another peer");
    }

    @Test
    void aVoucherWithAnotherExpiryIsRejected() {
        byte[] v = Vouchers.sign(relayKey, self, expire + 10);
        assertThatThrownBy(() -> Vouchers.verify(v, relay, self, expire)).hasMessageContaining("expiration");
    }

    @Test
    void aTamperedPayloadOrSignatureIsRejected() throws Exception {
        EnvelopeProto.Envelope e = EnvelopeProto.Envelope.parseFrom(Vouchers.sign(relayKey, self, expire));
        byte[] otherPayload = EnvelopeProto.Voucher.parseFrom(e.getPayload()).toBuilder().setExpiration(expire + 1)
                .build().toByteArray();
        byte[] tampered = e.toBuilder().setPayload(ByteString.copyFrom(otherPayload)).build().toByteArray();
        assertThatThrownBy(() -> Vouchers.verify(tampered, relay, self, expire + 1)).hasMessageContaining("bad signature");
        byte[] sig = e.getSignature().toByteArray();
        sig[0] ^= 1;
        byte[] badSig = e.toBuilder().setSignature(ByteString.copyFrom(sig)).build().toByteArray();
        assertThatThrownBy(() -> Vouchers.verify(badSig, relay, self, expire)).hasMessageContaining("bad signature");
        byte[] otherType = e.toBuilder().setPayloadType(ByteString.copyFrom(new byte[] {3, 1})).build().toByteArray();
        assertThatThrownBy(() -> Vouchers.verify(otherType, relay, self, expire)).hasMessageContaining("payload type");
    }

    @Test
    void garbageIsAMalformedEnvelope() {
        assertThatThrownBy(() -> Vouchers.verify(new byte[] {1, 2, 3}, relay, self, expire))
                .isInstanceOf(RelayException.class).hasMessageContaining("malformed");
        assertThatThrownBy(() -> Vouchers.verify(new byte[0], relay, self, expire)).isInstanceOf(RelayException.class);
    }

    @Test
    void aReservationInThePastOrWithoutExpiryIsRejected() {
        byte[] v = Vouchers.sign(relayKey, self, 1000);
        assertThatThrownBy(() -> HopClient.granted(reservation(v, 1000), self, relay)).hasMessageContaining("expires");
        RelayProto.HopMessage none = RelayProto.HopMessage.newBuilder().setType(RelayProto.HopMessage.Type.STATUS)
                .setStatus(RelayProto.Status.OK).build();
        assertThatThrownBy(() -> HopClient.granted(none, self, relay)).isInstanceOf(RelayException.class);
    }

    private static RelayProto.HopMessage reservation(byte[] voucher, long expire) {
        return RelayProto.HopMessage.newBuilder().setType(RelayProto.HopMessage.Type.STATUS)
                .setStatus(RelayProto.Status.OK)
                .setReservation(RelayProto.Reservation.newBuilder().setExpire(expire)
                        .addAddrs(ByteString.copyFrom(new byte[] {(byte) 0xff}))
                        .setVoucher(ByteString.copyFrom(voucher)))
                .build();
    }
}
