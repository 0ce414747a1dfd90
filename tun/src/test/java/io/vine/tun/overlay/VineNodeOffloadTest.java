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
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Superpackets travel whole between two offloading nodes; a plain node gets plain packets and no superpackets. */
class VineNodeOffloadTest {
    private static final String NET = "test-overlay";

    private static byte[] framed(VirtioNetHeader header, ByteBuffer packet) {
        ByteBuffer out = ByteBuffer.allocate(VirtioNetHeader.LENGTH + packet.remaining());
        header.encode(out);
        out.put(packet.duplicate()).flip();
        return bytes(out);
    }

    @Test
    void superpacketsTravelWholeOnlyWhenBothEndsOffload() {
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
            await(() -> g.node().routes().size() == 2 && b.node().routes().size() == 2, "beta and gamma learn alpha's route");
            assertThat(a.node().debugSnapshot().sessions()).anySatisfy(s -> {
                assertThat(s.peer()).isEqualTo(beta.id());
                assertThat(s.paths()).allMatch(DebugSnapshot.PathView::offload);
            });

            // A 3 KiB UDP superpacket (MTU 1400) from alpha's device reaches beta's device whole, header and all.
            VirtioNetHeader gso = new VirtioNetHeader(0, VirtioNetHeader.GSO_UDP_L4, 28, 1000, 0, 0);
            byte[] superpacket = framed(gso, udp(alpha.host(1), beta.host(1), "x".repeat(3000)));
            a.host().write(ByteBuffer.wrap(superpacket));
            assertThat(read(b.host())).isEqualTo(superpacket);

            // To gamma (no offload): the header of a plain packet is stripped, a superpacket is dropped.
            ByteBuffer plain = udp(alpha.host(1), gamma.host(1), "plain");
            a.host().write(ByteBuffer.wrap(framed(VirtioNetHeader.NONE, plain)));
            assertThat(read(g.host())).isEqualTo(bytes(plain));
            a.host().write(ByteBuffer.wrap(framed(gso, udp(alpha.host(1), gamma.host(1), "y".repeat(3000)))));
            await(() -> a.node().diagnostics().drops(DropReason.OVERSIZED) == 1, "the superpacket for gamma is dropped");

            // From gamma: alpha's device gets the packet behind a header that asks for nothing.
            ByteBuffer back = udp(gamma.host(1), alpha.host(1), "back");
            g.host().write(back.duplicate());
            assertThat(read(a.host())).isEqualTo(framed(VirtioNetHeader.NONE, back));
        }
    }
}
