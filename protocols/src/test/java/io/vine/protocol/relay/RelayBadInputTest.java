package io.vine.protocol.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.vine.core.Connection;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.protocol.relay.internal.pb.RelayProto;
import io.vine.swarm.Swarm;
import io.vine.testkit.TestSwarms;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Malformed and unexpected hop and stop messages get the spec's status; the relay keeps serving. */
class RelayBadInputTest {

    @Test
    void malformedHopMessagesGetMalformedMessageAndTheRelayKeepsServing() throws Exception {
        RelayService service = new RelayService();
        try (RelayFixture f = new RelayFixture()) {
            Swarm r = f.relay(service, false);
            Swarm a = f.client(new RelayTransport(), false);
            Swarm b = f.client(new RelayTransport(), false);
            Connection toRelay = TestSwarms.connect(b, r);
            byte[][] bad = {
                {3, (byte) 0xff, (byte) 0xff, (byte) 0xff},                 // not protobuf
                {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f},              // length above 4 KiB
                {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80,
                    (byte) 0x80, (byte) 0x80, (byte) 0x80, 1},              // varint too long
                RawStreams.frame(RelayProto.HopMessage.newBuilder().setType(RelayProto.HopMessage.Type.CONNECT).build()),
                RawStreams.frame(RelayProto.HopMessage.newBuilder().setType(RelayProto.HopMessage.Type.CONNECT)
                        .setPeer(RelayProto.Peer.newBuilder().setId(ByteString.copyFromUtf8("not a peer id"))).build()),
                RawStreams.frame(RelayProto.HopMessage.newBuilder().setPeer(RelayMessages.peer(a.localPeer())).build()),
            };
            for (byte[] request : bad) {
                byte[] answer = RawStreams.exchange(toRelay, RelayService.HOP_PROTOCOL_ID, request);
                RelayProto.HopMessage m = RawStreams.hop(answer);
                assertThat(m.getType()).isEqualTo(RelayProto.HopMessage.Type.STATUS);
                assertThat(m.getStatus()).as("answer to %s", java.util.HexFormat.of().formatHex(request))
                        .isEqualTo(RelayProto.Status.MALFORMED_MESSAGE);
            }
            RelayProto.HopMessage unexpected = RawStreams.hop(RawStreams.exchange(toRelay, RelayService.HOP_PROTOCOL_ID,
                    RawStreams.frame(RelayMessages.hopStatus(RelayStatus.OK))));
            assertThat(unexpected.getStatus()).isEqualTo(RelayProto.Status.UNEXPECTED_MESSAGE);

            Multiaddr circuit = RelayFixture.reserve(a, r);
            assertThat(b.dial(circuit).orTimeout(10, TimeUnit.SECONDS).join().remotePeer()).isEqualTo(a.localPeer());
        }
    }

    @Test
    void malformedAndUnexpectedStopMessagesGetTheirStatus() throws Exception {
        try (RelayFixture f = new RelayFixture()) {
            Swarm a = f.client(new RelayTransport(), false);
            Swarm b = f.client(new RelayTransport(), false);
            Connection toA = TestSwarms.connect(b, a);
            assertThat(RawStreams.stop(RawStreams.exchange(toA, RelayTransport.STOP_PROTOCOL_ID,
                    new byte[] {2, (byte) 0xff, (byte) 0xff})).getStatus()).isEqualTo(RelayProto.Status.MALFORMED_MESSAGE);
            assertThat(RawStreams.stop(RawStreams.exchange(toA, RelayTransport.STOP_PROTOCOL_ID,
                    RawStreams.frame(RelayProto.StopMessage.newBuilder().setType(RelayProto.StopMessage.Type.CONNECT).build())))
                    .getStatus()).isEqualTo(RelayProto.Status.MALFORMED_MESSAGE);
            assertThat(RawStreams.stop(RawStreams.exchange(toA, RelayTransport.STOP_PROTOCOL_ID,
                    RawStreams.frame(RelayMessages.stopStatus(RelayStatus.OK)))).getStatus())
                    .isEqualTo(RelayProto.Status.UNEXPECTED_MESSAGE);
            // A well-formed CONNECT from a peer A does not listen through.
            RelayProto.StopMessage refused = RawStreams.stop(RawStreams.exchange(toA, RelayTransport.STOP_PROTOCOL_ID,
                    RawStreams.frame(RelayProto.StopMessage.newBuilder().setType(RelayProto.StopMessage.Type.CONNECT)
                            .setPeer(RelayMessages.peer(b.localPeer())).build())));
            assertThat(refused.getStatus()).isEqualTo(RelayProto.Status.CONNECTION_FAILED);
            assertThat(a.connections(b.localPeer())).allMatch(Connection::isOpen);
        }
    }

    @Test
    void aTargetThatRefusesTheStopGivesConnectionFailed() {
        RelayService service = new RelayService();
        try (RelayFixture f = new RelayFixture()) {
            Swarm r = f.relay(service, false);
            RelayTransport aTransport = new RelayTransport();
            Swarm a = f.client(aTransport, false);
            Swarm b = f.client(new RelayTransport(), false);
            Multiaddr circuit = RelayFixture.reserve(a, r);
            // A stops listening but keeps its connection (and reservation) at R: its stop side refuses.
            aTransport.listener(r.localPeer()).close().join();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> b.dial(circuit).orTimeout(10, TimeUnit.SECONDS).join())
                    .satisfies(e -> assertThat(RelayCircuitTest.status(e)).isEqualTo(RelayStatus.CONNECTION_FAILED));
            assertThat(service.metrics().circuitsRefused()).isEqualTo(1);
            assertThat(service.metrics().circuitsActive()).isZero();
        }
    }
}
