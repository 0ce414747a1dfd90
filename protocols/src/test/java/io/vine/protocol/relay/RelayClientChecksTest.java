package io.vine.protocol.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.vine.core.Connection;
import io.vine.core.ProtocolContext;
import io.vine.core.crypto.Keys;
import io.vine.core.crypto.PrivKey;
import io.vine.core.peer.PeerId;
import io.vine.protocol.identify.Identify;
import io.vine.protocol.relay.internal.pb.EnvelopeProto;
import io.vine.protocol.relay.internal.pb.RelayProto;
import io.vine.swarm.Swarm;
import io.vine.testkit.TestSwarms;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * What a client makes of a relay's claims, on the wire against a {@link ScriptedRelay}: a reservation
 * whose voucher or expiry does not check out is refused with an error that says why, and counted;
 * a circuit's announced limit is held by the client even when the relay does not enforce it.
 */
class RelayClientChecksTest {
    private static final long HOUR = 3600;

    @Test
    void aGoodVoucherIsAcceptedAndCounted() {
        RelayTransport transport = new RelayTransport();
        try (RelayFixture f = new RelayFixture()) {
            Swarm r = relay(f, (ctx, peer) -> ok(ctx.privateKey(), peer, now() + HOUR), null);
            Swarm a = f.client(transport, false);
            RelayFixture.reserve(a, r);
            assertThat(transport.metrics().reservationsGranted()).isEqualTo(1);
            assertThat(transport.metrics().reservationsRejected()).isZero();
        }
    }

    @Test
    void aVoucherWithABadSignatureIsRefused() {
        refused((ctx, peer) -> {
            RelayProto.HopMessage m = ok(ctx.privateKey(), peer, now() + HOUR);
            byte[] v = m.getReservation().getVoucher().toByteArray();
            v[v.length - 1] ^= 1; // the signature is the envelope's last field
            return withVoucher(m, v);
        }, "voucher: bad signature");
    }

    @Test
    void aVoucherSignedByAnotherKeyIsRefused() {
        refused((ctx, peer) -> ok(Keys.generateEd25519(), peer, now() + HOUR), "voucher: signed by");
    }

    @Test
    void aVoucherForAnotherPeerIsRefused() {
        refused((ctx, peer) -> {
            long expire = now() + HOUR;
            PeerId other = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
            return withVoucher(ok(ctx.privateKey(), peer, expire), Vouchers.sign(ctx.privateKey(), other, expire));
        }, "voucher: for another peer");
    }

    @Test
    void anExpiredReservationIsRefused() {
        // The voucher is genuine and matches the reservation, but both lie in the past.
        refused((ctx, peer) -> ok(ctx.privateKey(), peer, now() - 60), "expires at");
    }

    @Test
    void aVoucherThatOutlivesTheReservationIsRefused() {
        refused((ctx, peer) -> {
            long expire = now() + HOUR;
            return withVoucher(ok(ctx.privateKey(), peer, expire), Vouchers.sign(ctx.privateKey(), peer, expire + HOUR));
        }, "voucher: expiration");
    }

    @Test
    void theAnnouncedDataLimitClosesTheCircuitOnTheClient() {
        RelayTransport aTransport = new RelayTransport();
        RelayTransport bTransport = new RelayTransport();
        RelayProto.Limit limit = RelayProto.Limit.newBuilder().setData(64 * 1024).build();
        try (RelayFixture f = new RelayFixture()) {
            Swarm r = relay(f, (ctx, peer) -> ok(ctx.privateKey(), peer, now() + HOUR), limit);
            Swarm a = f.client(aTransport, false);
            Swarm b = f.client(bTransport, false);
            Connection c = b.dial(RelayFixture.reserve(a, r)).orTimeout(10, TimeUnit.SECONDS).join();
            assertThat(RelayCircuitTest.echo(c, new byte[1000])).hasSize(1000);
            assertThatThrownBy(() -> RelayCircuitTest.echo(c, new byte[256 * 1024])).isInstanceOf(RuntimeException.class);
            RelayFixture.await(() -> !c.isOpen(), "B's relayed connection closes");
            // B sends first, so B's side is the one that stops it.
            assertThat(bTransport.metrics().closedByDataLimit()).isEqualTo(1);
            assertThat(aTransport.metrics().closedByDurationLimit() + bTransport.metrics().closedByDurationLimit()).isZero();
            assertThat(aTransport.metrics().circuitsLimited()).isEqualTo(1);
            assertThat(bTransport.metrics().circuitsLimited()).isEqualTo(1);
        }
    }

    @Test
    void withoutALimitTheSameRelayCarriesTheData() {
        // The control: this relay enforces nothing, so the close above is the client's.
        RelayTransport bTransport = new RelayTransport();
        try (RelayFixture f = new RelayFixture()) {
            Swarm r = relay(f, (ctx, peer) -> ok(ctx.privateKey(), peer, now() + HOUR), null);
            Swarm a = f.client(new RelayTransport(), false);
            Swarm b = f.client(bTransport, false);
            Connection c = b.dial(RelayFixture.reserve(a, r)).orTimeout(10, TimeUnit.SECONDS).join();
            assertThat(RelayCircuitTest.echo(c, new byte[256 * 1024])).hasSize(256 * 1024);
            assertThat(c.isOpen()).isTrue();
            assertThat(bTransport.metrics().circuitsLimited()).isZero();
        }
    }

    @Test
    void theAnnouncedDurationLimitClosesTheCircuitOnTheClient() {
        RelayTransport aTransport = new RelayTransport();
        RelayTransport bTransport = new RelayTransport();
        RelayProto.Limit limit = RelayProto.Limit.newBuilder().setDuration(1).build();
        try (RelayFixture f = new RelayFixture()) {
            Swarm r = relay(f, (ctx, peer) -> ok(ctx.privateKey(), peer, now() + HOUR), limit);
            Swarm a = f.client(aTransport, false);
            Swarm b = f.client(bTransport, false);
            long start = System.nanoTime();
            Connection c = b.dial(RelayFixture.reserve(a, r)).orTimeout(10, TimeUnit.SECONDS).join();
            assertThat(RelayCircuitTest.echo(c, new byte[1000])).hasSize(1000);
            RelayFixture.await(() -> !c.isOpen(), "the circuit to close after 1 s");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
            // The target's clock started first (at the STOP); either side may be the one that closed.
            assertThat(aTransport.metrics().closedByDurationLimit() + bTransport.metrics().closedByDurationLimit())
                    .isBetween(1L, 2L);
            assertThat(aTransport.metrics().closedByDataLimit() + bTransport.metrics().closedByDataLimit()).isZero();
        }
    }

    @Test
    void theLimitOfAMessageIsReadAsTheSpecSays() {
        assertThat(CircuitLimitHandler.Limit.of(false, RelayProto.Limit.getDefaultInstance())).isNull();
        assertThat(CircuitLimitHandler.Limit.of(true, RelayProto.Limit.getDefaultInstance())).isNull();
        assertThat(CircuitLimitHandler.Limit.of(true, RelayProto.Limit.newBuilder().setDuration(-1).setData(-1).build()))
                .isEqualTo(new CircuitLimitHandler.Limit(0xFFFF_FFFFL, Long.MAX_VALUE));
        assertThat(CircuitLimitHandler.Limit.of(true, RelayProto.Limit.newBuilder().setData(10).build()))
                .isEqualTo(new CircuitLimitHandler.Limit(0, 10));
    }

    private static void refused(BiFunction<ProtocolContext, PeerId, RelayProto.HopMessage> answer, String why) {
        RelayTransport transport = new RelayTransport();
        try (RelayFixture f = new RelayFixture()) {
            Swarm r = relay(f, answer, null);
            Swarm a = f.client(transport, false);
            assertThatThrownBy(() -> RelayFixture.reserve(a, r)).satisfies(e -> assertThat(relayError(e))
                    .hasMessageContaining("reservation from " + r.localPeer() + " refused")
                    .hasMessageContaining(why));
            assertThat(transport.metrics().reservationsRejected()).isEqualTo(1);
            assertThat(transport.metrics().reservationsGranted()).isZero();
            assertThat(transport.relays()).isEmpty();
        }
    }

    /** The outermost {@link RelayException} of {@code e}'s causes. */
    private static RelayException relayError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RelayException r) {
                return r;
            }
        }
        throw new AssertionError("no RelayException in " + e, e);
    }

    private static Swarm relay(RelayFixture f, BiFunction<ProtocolContext, PeerId, RelayProto.HopMessage> answer,
            RelayProto.Limit limit) {
        Swarm s = TestSwarms.memory(new ScriptedRelay(answer, limit), new Identify());
        f.swarms.add(s);
        return s;
    }

    /** An OK with a reservation until {@code expire} and a voucher for it signed by {@code key}. */
    private static RelayProto.HopMessage ok(PrivKey key, PeerId peer, long expire) {
        return RelayProto.HopMessage.newBuilder().setType(RelayProto.HopMessage.Type.STATUS)
                .setStatus(RelayProto.Status.OK)
                .setReservation(RelayProto.Reservation.newBuilder().setExpire(expire)
                        .setVoucher(ByteString.copyFrom(Vouchers.sign(key, peer, expire))))
                .build();
    }

    private static RelayProto.HopMessage withVoucher(RelayProto.HopMessage m, byte[] voucher) {
        return m.toBuilder().setReservation(m.getReservation().toBuilder().setVoucher(ByteString.copyFrom(voucher))).build();
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }
}
