package io.vine.tun.overlay;

import io.netty.channel.EventLoopGroup;
import io.vine.core.ConnectionGater;
import io.vine.core.Direction;
import io.vine.core.crypto.Keys;
import io.vine.core.crypto.PrivKey;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.multiaddr.MultiaddrProtocol;
import io.vine.core.peer.PeerId;
import io.vine.muxer.yamux.Yamux;
import io.vine.security.noise.NoiseSecurity;
import io.vine.transport.memory.MemoryTransport;
import io.vine.transport.tcp.TcpTransport;
import io.vine.tun.IpPrefix;
import io.vine.tun.MemoryTunDevice;
import io.vine.tun.TestPackets;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** VineNodes on the memory transport and in-memory TUN devices, for tests. */
final class OverlayFixture implements AutoCloseable {
    static final EventLoopGroup IO = TcpTransport.defaultGroup(4);
    private static final AtomicLong PORTS = new AtomicLong(5_000_000L + ThreadLocalRandom.current().nextInt(1_000_000) * 16L);

    /** Fixtures not yet closed, so that a failed wait can say what their nodes saw. */
    private static final Set<OverlayFixture> LIVE = ConcurrentHashMap.newKeySet();

    final List<VineNode> nodes = new ArrayList<>();
    private final List<Running> running = new CopyOnWriteArrayList<>();

    OverlayFixture() {
        LIVE.add(this);
    }

    private static String describeLive() {
        StringBuilder sb = new StringBuilder();
        for (OverlayFixture f : LIVE) {
            for (Running r : f.running) {
                sb.append("\n").append(r.member().name()).append(" sessions: ").append(r.node().debugSnapshot().sessions())
                        .append("\n  events: ").append(r.events());
            }
        }
        return sb.toString();
    }

    /** A future node: key, memory address, prefix 10.42.{index}.0/24 and device address 10.42.{index}.1/16. */
    record Member(String name, PrivKey key, PeerId id, Multiaddr address, int index, boolean relay) {
        IpPrefix prefix() {
            return IpPrefix.parse("10.42." + index + ".0/24");
        }

        InetAddress host(int n) {
            return InetAddress.ofLiteral("10.42." + index + "." + n);
        }

        Multiaddr p2p() {
            return address.withPeerId(id);
        }

        PeerEntry entry() {
            return new PeerEntry(id, prefix(), relay);
        }
    }

    /** A running node with its device's host end and what it reported. */
    record Running(Member member, VineNode node, MemoryTunDevice host, List<VineEvent> events, CutGater gater) {
        <T extends VineEvent> List<T> events(Class<T> type) {
            return events.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }

    static Member member(String name, int index, boolean relay) {
        PrivKey key = Keys.generateEd25519();
        return new Member(name, key, PeerId.fromPublicKey(key.publicKey()),
                Multiaddr.parse("/memory/" + PORTS.incrementAndGet()), index, relay);
    }

    /** A config for {@code m} that allowlists {@code peers} and bootstraps to {@code bootstrap}. */
    static VineConfig.Builder config(Member m, String networkId, List<Member> peers, List<Member> bootstrap) {
        VineConfig.Builder b = VineConfig.builder(networkId)
                .tunName(m.name)
                .tunAddress(m.index == 0 ? "10.42.0.1/16" : "10.42." + m.index + ".1/16")
                .localPrefix(m.prefix())
                .mtu(1400)
                .identity(IdentitySource.key(m.key))
                .listen(m.address)
                .relay(m.relay)
                .keepalive(Duration.ofMillis(500), Duration.ofSeconds(5))
                .redial(Duration.ofMillis(100), Duration.ofMillis(400));
        peers.forEach(p -> b.peer(p.entry()));
        bootstrap.forEach(p -> b.bootstrap(p.p2p()));
        return b;
    }

    Running start(Member m, VineConfig config) {
        return start(m, config, x -> { });
    }

    Running start(Member m, VineConfig config, Consumer<VineNode.Builder> customize) {
        MemoryTunDevice.Pair pair = MemoryTunDevice.pair(config.tunConfig());
        List<VineEvent> events = new CopyOnWriteArrayList<>();
        CutGater gater = new CutGater();
        VineNode.Builder b = VineNode.builder(config)
                .device(c -> pair.device())
                .swarm(s -> s.ioGroup(IO).transport(new MemoryTransport(), new TcpTransport()).security(new NoiseSecurity()).muxer(new Yamux()))
                .gater(gater)
                .events(events::add);
        customize.accept(b);
        VineNode node = b.build();
        nodes.add(node);
        node.init();
        node.start();
        Running r = new Running(m, node, pair.host(), events, gater);
        running.add(r);
        return r;
    }

    static ByteBuffer udp(InetAddress src, InetAddress dst, String payload) {
        return TestPackets.udp4(src, 4000, dst, 5000, payload.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Reads one frame from {@code host} within 5 s, or null. */
    static byte[] read(MemoryTunDevice host) {
        ByteBuffer buf = ByteBuffer.allocate(host.minReadBuffer());
        int n = host.read(buf, 5, TimeUnit.SECONDS);
        if (n <= 0) {
            return null;
        }
        byte[] out = new byte[n];
        buf.flip().get(out);
        return out;
    }

    static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    /** Waits up to 15 s for {@code condition}; a timeout reports what every running node saw. */
    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + describeLive());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** Blocks direct (non-circuit) connections to and from the peers in {@link #blocked}. */
    static final class CutGater implements ConnectionGater {
        final Set<PeerId> blocked = ConcurrentHashMap.newKeySet();

        private boolean allowed(PeerId peer, Multiaddr address) {
            return peer == null || !blocked.contains(peer) || address.has(MultiaddrProtocol.P2P_CIRCUIT);
        }

        @Override
        public boolean allowDial(PeerId peer, Multiaddr address) {
            return allowed(peer, address);
        }

        @Override
        public boolean allowSecured(Direction direction, PeerId peer, Multiaddr remoteAddress) {
            return allowed(peer, remoteAddress);
        }
    }

    @Override
    public void close() {
        LIVE.remove(this);
        nodes.reversed().forEach(VineNode::stop);
    }
}
