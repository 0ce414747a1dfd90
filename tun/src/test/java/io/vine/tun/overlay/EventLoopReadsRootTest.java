package io.vine.tun.overlay;

import static io.vine.tun.overlay.OverlayFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vine.core.Connection;
import io.vine.core.crypto.Keys;
import io.vine.core.crypto.PrivKey;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.multiaddr.MultiaddrProtocol;
import io.vine.core.peer.PeerId;
import io.vine.muxer.yamux.Yamux;
import io.vine.security.noise.NoiseSecurity;
import io.vine.transport.memory.MemoryTransport;
import io.vine.transport.tcp.TcpTransport;
import io.vine.tun.MemoryTunDevice;
import io.vine.tun.TestPackets;
import io.vine.tun.TunConfig;
import io.vine.tun.linux.LinuxTun;
import io.vine.tun.linux.RootTestSupport;
import io.vine.tun.overlay.OverlayFixture.Member;
import io.vine.tun.overlay.OverlayFixture.Running;
import io.vine.tun.session.PathKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real TUN device (alpha's, in a throw-away network namespace, where ping runs) read by the event
 * loop of the peer connection its packets go to: beta over TCP (an epoll loop) and gamma over the
 * memory transport (a loop of another kind, reached from the reading loop by a task). Beta's and
 * gamma's devices are in memory; the test answers there the pings sent from the namespace. Root only; skipped elsewhere.
 */
@Tag("root")
@Timeout(120)
class EventLoopReadsRootTest extends RootTestSupport {
    private static final String NET = "test-overlay";
    @Test
    void theDeviceMovesToTheEventLoopOfItsPeerAndStillReachesEveryPeer() {
        try (OverlayFixture f = new OverlayFixture()) {
            Nodes n = start(f);
            ping(n.beta); // read by the thread, which then hands the device to beta's connection's loop
            await(() -> n.alpha.node().tunQueuesOnEventLoops() == 1, "alpha's device read by an event loop");
            await(() -> !threadAlive("vine-tun-vel0-0"), "alpha's reader thread ends");

            // Read by that loop now: to beta on the same loop, to gamma through a task on its own loop.
            for (int i = 0; i < 3; i++) {
                ping(n.beta);
                ping(n.gamma);
            }
            assertThat(n.alpha.node().diagnostics().drops(DropReason.BACKPRESSURE)).isZero();

            n.alpha.node().stop();
            assertThat(n.alpha.node().tunQueuesOnEventLoops()).isZero();
        }
    }

    /**
     * While gamma's loop is held up, more batches for it than may wait (TunReader.MAX_IN_FLIGHT) come
     * from the device: the reading loop pauses instead of dropping them, and once gamma's loop runs
     * again every packet arrives, in order.
     */
    @Test
    void aLoopThatLagsPausesTheReaderAndLosesNothing() throws Exception {
        try (OverlayFixture f = new OverlayFixture()) {
            Nodes n = start(f);
            ping(n.beta);
            await(() -> n.alpha.node().tunQueuesOnEventLoops() == 1, "alpha's device read by an event loop");
            Connection toGamma = n.alpha.node().swarm().connections().stream()
                    .filter(c -> c.remotePeer().equals(n.gamma.member().id())).findFirst().orElseThrow();
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            toGamma.channel().eventLoop().execute(() -> {
                held.countDown();
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(held.await(5, TimeUnit.SECONDS)).as("gamma's loop held").isTrue();

            int count = 200; // one datagram per batch at least 50 times the batches that may wait; below the kernel's queue
            InetAddress to = n.gamma.member().host(1);
            CompletableFuture<Integer> sent = ns.async(() -> {
                try (DatagramSocket socket = new DatagramSocket()) {
                    for (int i = 0; i < count; i++) {
                        byte[] payload = ("burst " + i).getBytes(StandardCharsets.US_ASCII);
                        socket.send(new DatagramPacket(payload, payload.length, to, 5000));
                        Thread.sleep(1); // separate reads: many small batches
                    }
                    return count;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return -1;
                }
            });
            assertThat(sent).succeedsWithin(Duration.ofSeconds(15)).isEqualTo(count);
            release.countDown();

            for (int i = 0; i < count; i++) {
                byte[] frame = OverlayFixture.read(n.gamma.host());
                assertThat(frame).as("datagram %d at gamma", i).isNotNull();
                assertThat(new String(frame, 28, frame.length - 28, StandardCharsets.US_ASCII)).isEqualTo("burst " + i);
            }
            assertThat(n.alpha.node().diagnostics().drops(DropReason.BACKPRESSURE)).isZero();
        }
    }

    @Test
    void withLoopReadsOffTheThreadKeepsTheDevice() {
        String before = System.setProperty(TunReader.LOOP_READS, "false");
        try (OverlayFixture f = new OverlayFixture()) {
            Nodes n = start(f);
            for (int i = 0; i < 3; i++) {
                ping(n.beta);
            }
            assertThat(n.alpha.node().tunQueuesOnEventLoops()).isZero();
            assertThat(threadAlive("vine-tun-vel0-0")).isTrue();
        } finally {
            if (before == null) {
                System.clearProperty(TunReader.LOOP_READS);
            } else {
                System.setProperty(TunReader.LOOP_READS, before);
            }
        }
    }

    private record Nodes(Running alpha, Running beta, Running gamma) {}

    /** Beta over TCP, gamma over memory, both with devices in memory; alpha with the real device, bootstrapping to both. */
    private Nodes start(OverlayFixture f) {
        Member alpha = member("alpha", 1, "/ip4/127.0.0.1/tcp/0");
        Member beta = member("beta", 2, "/ip4/127.0.0.1/tcp/0");
        Member gamma = OverlayFixture.member("gamma", 3, false);
        List<Member> all = List.of(alpha, beta, gamma);
        Running b = f.start(beta, OverlayFixture.config(beta, NET, all, List.of()).build());
        Running g = f.start(gamma, OverlayFixture.config(gamma, NET, all, List.of()).build());
        Multiaddr betaTcp = b.node().swarm().listenAddresses().stream()
                .filter(a -> a.has(MultiaddrProtocol.TCP)).findFirst().orElseThrow();
        VineConfig config = OverlayFixture.config(alpha, NET, all, List.of(gamma))
                .bootstrap(betaTcp.withPeerId(beta.id())).build();
        Running a = f.start(alpha, config, node -> node
                .device(c -> LinuxTun.open(TunConfig.builder("vel0").mtu(1400).address("10.42.1.1/16").netns(ns.path).build()))
                .swarm(s -> s.ioGroup(OverlayFixture.IO).transport(new MemoryTransport(), new TcpTransport())
                        .security(new NoiseSecurity()).muxer(new Yamux())));
        a.node().bootstrap().join();
        for (Member m : List.of(beta, gamma)) {
            await(() -> a.node().sessionPath(m.id()).equals(Optional.of(PathKind.DIRECT)), "alpha's session to " + m.name());
            await(() -> a.node().routes().stream().anyMatch(r -> r.owner().equals(m.id())), "alpha learns " + m.name());
        }
        await(() -> b.node().routes().size() == 2 && g.node().routes().size() == 2, "beta and gamma learn alpha's route");
        return new Nodes(a, b, g);
    }

    private static Member member(String name, int index, String listen) {
        PrivKey key = Keys.generateEd25519();
        return new Member(name, key, PeerId.fromPublicKey(key.publicKey()), Multiaddr.parse(listen), index, false);
    }

    /** One ping from alpha's namespace to {@code to}'s first host address, answered on {@code to}'s device. */
    private void ping(Running to) {
        InetAddress address = to.member().host(1);
        CompletableFuture<Boolean> reached = ns.async(() -> {
            try {
                return address.isReachable(5000);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        ByteBuffer request = readEchoRequest(to.host());
        assertThat(request).as("echo request to %s through the overlay", address).isNotNull();
        to.host().write(TestPackets.echoReply(request));
        assertThat(reached).as("ping %s answered", address).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(true);
    }

    /** The next echo request on {@code host} within 5 s, skipping other frames; null if none. */
    private static ByteBuffer readEchoRequest(MemoryTunDevice host) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            ByteBuffer buf = ByteBuffer.allocate(host.minReadBuffer());
            int n = host.read(buf, Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (n > 0 && TestPackets.isEchoRequest(buf.flip())) {
                return buf;
            }
        }
        return null;
    }

    private static boolean threadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }
}
