package io.vine.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.vine.core.HandshakeException;
import io.vine.core.SwarmEvent;
import io.vine.testkit.EchoProtocol;
import io.vine.testkit.TestSwarms;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Raw TCP clients that do not speak libp2p: the swarm closes them and keeps serving others. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SwarmHostileInboundTest {

    private static Socket rawClient(Swarm target) throws IOException {
        InetSocketAddress at = target.listenAddresses().get(0).toSocketAddress().orElseThrow();
        Socket s = new Socket();
        s.connect(at, 5000);
        s.setSoTimeout(10_000);
        return s;
    }

    /** Reads until the swarm closes the connection; how long that took. */
    private static Duration readUntilClosed(Socket s) throws IOException {
        long start = System.nanoTime();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[1024];
        try {
            while (in.read(buf) >= 0) {
                // The swarm may send its multistream header first; keep reading.
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the swarm did not close the connection within 10 s", e);
        } catch (IOException reset) {
            // A reset is a close too.
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static SwarmEvent.InboundFailed nextInboundFailure(BlockingQueue<SwarmEvent> events) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            SwarmEvent e = events.poll(100, TimeUnit.MILLISECONDS);
            if (e instanceof SwarmEvent.InboundFailed f) {
                return f;
            }
        }
        throw new AssertionError("no InboundFailed event");
    }

    @Test
    void aStalledHandshakeIsClosedAfterTheTimeoutAndOthersAreStillServed() throws Exception {
        Duration timeout = Duration.ofMillis(1500);
        try (Swarm b = TestSwarms.tcp(x -> x.limits(SwarmLimits.DEFAULT.withHandshakeTimeout(timeout)), new EchoProtocol());
                Swarm a = TestSwarms.tcp();
                Swarm warm = TestSwarms.tcp()) {
            // A first handshake in a cold JVM may take longer than the short timeout: warm up elsewhere.
            TestSwarms.connect(a, warm);
            BlockingQueue<SwarmEvent> events = new LinkedBlockingQueue<>();
            b.subscribe(events::add);
            try (Socket silent = rawClient(b)) {
                // While the silent client holds its handshake open, a real peer connects and talks.
                TestSwarms.connect(a, b);
                assertThat(Net.await(a.newStream(b.localPeer(), EchoProtocol.ID)).isActive()).isTrue();
                Duration closedAfter = readUntilClosed(silent);
                assertThat(closedAfter).isLessThan(timeout.plusSeconds(3));
            }
            SwarmEvent.InboundFailed failure = nextInboundFailure(events);
            assertThat(failure.cause()).isInstanceOf(HandshakeException.class).hasMessageContaining("did not complete");
            assertThat(b.connections()).hasSize(1);
            assertThat(b.connections().get(0).remotePeer()).isEqualTo(a.localPeer());
        }
    }

    @Test
    void garbageInsteadOfMultistreamIsRefused() throws Exception {
        try (Swarm b = TestSwarms.tcp(new EchoProtocol()); Swarm a = TestSwarms.tcp()) {
            BlockingQueue<SwarmEvent> events = new LinkedBlockingQueue<>();
            b.subscribe(events::add);
            for (byte[] garbage : new byte[][] {
                    // 'G' reads as a length of 71: enough bytes follow to make a (malformed) message.
                    ("GET / HTTP/1.1\r\nHost: x\r\n" + "X-Pad: y\r\n".repeat(8) + "\r\n").getBytes(StandardCharsets.US_ASCII),
                    {0x06, 'h', 'e', 'l', 'l', 'o', '\n'},
                    {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f}, // huge length
                    {0x13, '/', 'm', 'u', 'l', 't', 'i', 's', 't', 'r', 'e', 'a', 'm', '/', '9', '.', '9', '.', '9', '\n'},
            }) {
                try (Socket s = rawClient(b)) {
                    s.getOutputStream().write(garbage);
                    s.getOutputStream().flush();
                    // Refused at once, well before the 15 s handshake timeout.
                    assertThat(readUntilClosed(s)).isLessThan(Duration.ofSeconds(5));
                }
                assertThat(nextInboundFailure(events).cause()).isNotNull();
            }
            assertThat(b.connections()).isEmpty();
            TestSwarms.connect(a, b);
            assertThat(b.connections()).hasSize(1);
        }
    }

    @Test
    void aClientThatHangsUpMidHandshakeIsForgotten() throws Exception {
        try (Swarm b = TestSwarms.tcp()) {
            BlockingQueue<SwarmEvent> events = new LinkedBlockingQueue<>();
            b.subscribe(events::add);
            try (Socket s = rawClient(b)) {
                s.getOutputStream().write(new byte[] {0x13, '/', 'm', 'u'});
            }
            assertThat(nextInboundFailure(events).cause()).isNotNull();
            assertThat(b.connections()).isEmpty();
        }
    }
}
