package io.vine.tun.overlay;

import static io.vine.tun.overlay.OverlayFixture.await;
import static io.vine.tun.overlay.OverlayFixture.bytes;
import static io.vine.tun.overlay.OverlayFixture.read;
import static io.vine.tun.overlay.OverlayFixture.udp;
import static org.assertj.core.api.Assertions.assertThat;

import io.vine.tun.VirtioNetHeader;
import io.vine.tun.overlay.OverlayFixture.Member;
import io.vine.tun.overlay.OverlayFixture.Running;
import io.vine.tun.session.PathKind;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Bursts through the TUN reader: packets queued on the device before the reader gets to them travel
 * in batches (one event-loop task each) and must arrive whole, in order, and counted once.
 */
class PacketBatchTest {
    private static final String NET = "test-overlay";

    @Test
    void aBurstArrivesInOrderAndIsCountedOnce() {
        Member alpha = OverlayFixture.member("alpha", 1, false);
        Member beta = OverlayFixture.member("beta", 2, false);
        try (OverlayFixture f = new OverlayFixture()) {
            Running b = f.start(beta, OverlayFixture.config(beta, NET, List.of(alpha, beta), List.of()).build());
            Running a = f.start(alpha, OverlayFixture.config(alpha, NET, List.of(alpha, beta), List.of(beta)).build());
            a.node().bootstrap().join();
            await(() -> a.node().sessionPath(beta.id()).equals(Optional.of(PathKind.DIRECT)), "alpha's session to beta");
            await(() -> a.node().routes().stream().anyMatch(r -> r.owner().equals(beta.id())), "alpha learns beta's route");

            // More than one batch (TunReader.MAX_BATCH) queued at once, sizes varying so that the
            // length prefix takes one and two bytes.
            int count = TunReader.MAX_BATCH * 3 + 7;
            List<byte[]> sent = new ArrayList<>();
            long ipBytes = 0;
            for (int i = 0; i < count; i++) {
                ByteBuffer p = udp(alpha.host(1), beta.host(1), i + ":" + "x".repeat(i * 7 % 300));
                sent.add(bytes(p));
                ipBytes += p.remaining();
                a.host().write(p);
            }
            for (int i = 0; i < count; i++) {
                assertThat(read(b.host())).as("packet %d", i).isEqualTo(sent.get(i));
            }
            long expectedBytes = ipBytes;
            await(() -> a.node().diagnostics().get("packets_sent") == count, "alpha counts the burst");
            Diagnostics d = a.node().diagnostics();
            assertThat(d.get("bytes_sent")).isEqualTo(expectedBytes);
            assertThat(d.drops(DropReason.BACKPRESSURE)).isZero();
            await(() -> b.node().diagnostics().get("packets_received") == count, "beta writes the burst");
        }
    }

    @Test
    void withOffloadsLargeFramesTravelAsReadAndSmallOnesAsCopiesToEveryPeer() {
        Member alpha = OverlayFixture.member("alpha", 1, false);
        Member beta = OverlayFixture.member("beta", 2, false);
        Member gamma = OverlayFixture.member("gamma", 3, false);
        List<Member> all = List.of(alpha, beta, gamma);
        try (OverlayFixture f = new OverlayFixture()) {
            Running b = f.start(beta, OverlayFixture.config(beta, NET, all, List.of()).offload(true).build());
            Running g = f.start(gamma, OverlayFixture.config(gamma, NET, all, List.of()).build());
            Running a = f.start(alpha, OverlayFixture.config(alpha, NET, all, List.of(beta, gamma)).offload(true).build());
            a.node().bootstrap().join();
            for (Member m : List.of(beta, gamma)) {
                await(() -> a.node().sessionPath(m.id()).equals(Optional.of(PathKind.DIRECT)), "alpha's session to " + m.name());
                await(() -> a.node().routes().stream().anyMatch(r -> r.owner().equals(m.id())), "alpha learns " + m.name());
            }

            // One burst, interleaved: to beta (offloads: frames whole, one a 50 KB superpacket handed on
            // in its read buffer) and to gamma (no offloads: the header stripped in front of the packet).
            VirtioNetHeader gso = new VirtioNetHeader(0, VirtioNetHeader.GSO_UDP_L4, 28, 1000, 0, 0);
            List<byte[]> toBeta = new ArrayList<>();
            List<byte[]> toGamma = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                ByteBuffer frame = i == 5
                        ? framed(gso, udp(alpha.host(1), beta.host(1), "s".repeat(50_000)))
                        : framed(VirtioNetHeader.NONE, udp(alpha.host(1), beta.host(1), "to beta " + i));
                toBeta.add(bytes(frame));
                a.host().write(frame);
                ByteBuffer plain = udp(alpha.host(1), gamma.host(1), "to gamma " + i);
                toGamma.add(bytes(plain));
                a.host().write(framed(VirtioNetHeader.NONE, plain));
            }
            for (int i = 0; i < 40; i++) {
                assertThat(read(b.host())).as("to beta %d", i).isEqualTo(toBeta.get(i));
                assertThat(read(g.host())).as("to gamma %d", i).isEqualTo(toGamma.get(i));
            }
            await(() -> a.node().diagnostics().get("packets_sent") == 80, "alpha counts the burst");
            assertThat(a.node().diagnostics().drops(DropReason.BACKPRESSURE)).isZero();
        }
    }

    private static ByteBuffer framed(VirtioNetHeader header, ByteBuffer packet) {
        ByteBuffer out = ByteBuffer.allocate(VirtioNetHeader.LENGTH + packet.remaining());
        header.encode(out);
        return out.put(packet.duplicate()).flip();
    }
}
