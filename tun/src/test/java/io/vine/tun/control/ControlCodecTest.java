package io.vine.tun.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.vine.tun.IpPrefix;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ControlCodecTest {

    private static ControlMessage roundTrip(ControlMessage m) {
        ByteBuf b = ControlCodec.encode(m, ByteBufAllocator.DEFAULT);
        try {
            return ControlCodec.decode(b);
        } finally {
            b.release();
        }
    }

    @Test
    void everyMessageRoundTrips() {
        List<ControlMessage> all = List.of(
                new ControlMessage.Hello("net-1", 1, Set.of(ControlMessage.CAP_OFFLOAD, ControlMessage.CAP_RELAY)),
                new ControlMessage.Announce(IpPrefix.parse("10.42.1.0/24"), Long.MAX_VALUE),
                new ControlMessage.Withdraw(IpPrefix.parse("fd00:42::/48"), 7),
                new ControlMessage.Keepalive(3),
                new ControlMessage.Ping(-1),
                new ControlMessage.Pong(42));
        for (ControlMessage m : all) {
            assertThat(roundTrip(m)).isEqualTo(m);
        }
    }

    private static void rejects(byte[] bytes, String message) {
        ByteBuf b = Unpooled.wrappedBuffer(bytes);
        try {
            assertThatThrownBy(() -> ControlCodec.decode(b)).isInstanceOf(ControlDecoderException.class)
                    .hasMessageContaining(message);
        } finally {
            b.release();
        }
    }

    @Test
    void malformedMessagesAreRefusedWithTheField() {
        rejects(new byte[0], "no body");
        rejects(new byte[] {0x0A, 0x05, 0x0A}, "not a valid protobuf");
        // hello with an empty network id: field 1 (hello) of length 2 holding field 2 (version) = 1
        rejects(new byte[] {0x0A, 0x02, 0x10, 0x01}, "hello.network_id: empty");
        // announce with a 3-byte address
        rejects(new byte[] {0x12, 0x05, 0x0A, 0x03, 1, 2, 3}, "route.address: 3 bytes (expected: 4 or 16)");
        // announce 10.0.0.0/33
        rejects(new byte[] {0x12, 0x08, 0x0A, 0x04, 10, 0, 0, 0, 0x10, 33}, "route.length: 33 (expected: 0..32)");
        rejects(new byte[ControlCodec.MAX_MESSAGE_BYTES + 1], "expected: <= 4096");
    }

    @Test
    void truncationsAndRandomBytesNeverEscapeAsAnythingButTheTypedError() {
        ByteBuf full = ControlCodec.encode(new ControlMessage.Announce(IpPrefix.parse("10.42.1.0/24"), 99), ByteBufAllocator.DEFAULT);
        byte[] bytes = new byte[full.readableBytes()];
        full.readBytes(bytes);
        full.release();
        for (int n = 0; n < bytes.length; n++) {
            ByteBuf b = Unpooled.wrappedBuffer(bytes, 0, n);
            try {
                ControlCodec.decode(b);
            } catch (ControlDecoderException expected) {
                // fine
            } finally {
                b.release();
            }
        }
        Random r = new Random(1);
        for (int i = 0; i < 2000; i++) {
            byte[] junk = new byte[r.nextInt(64)];
            r.nextBytes(junk);
            ByteBuf b = Unpooled.wrappedBuffer(junk);
            try {
                ControlCodec.decode(b);
            } catch (ControlDecoderException expected) {
                // fine
            } finally {
                b.release();
            }
        }
    }
}
