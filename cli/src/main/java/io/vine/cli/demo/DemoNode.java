package io.vine.cli.demo;

import io.netty.channel.EventLoopGroup;
import io.vine.core.crypto.Keys;
import io.vine.core.crypto.PrivKey;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.multiaddr.MultiaddrProtocol;
import io.vine.core.peer.PeerId;
import io.vine.muxer.yamux.Yamux;
import io.vine.security.noise.NoiseSecurity;
import io.vine.transport.tcp.TcpTransport;
import io.vine.tun.IpPrefix;
import io.vine.tun.MemoryTunDevice;
import io.vine.tun.overlay.IdentitySource;
import io.vine.tun.overlay.PeerEntry;
import io.vine.tun.overlay.VineConfig;
import io.vine.tun.overlay.VineEvent;
import io.vine.tun.overlay.VineNode;
import io.vine.tun.route.Route;
import io.vine.tun.session.PathKind;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** One overlay node of the demo: a VineNode on loopback TCP with a userspace TUN device. */
final class DemoNode {
    final String name;
    final int index;
    final boolean relay;
    final PrivKey key = Keys.generateEd25519();
    final PeerId id = PeerId.fromPublicKey(key.publicKey());
    final DemoGater gater = new DemoGater();
    /** The session path changes this node reported, in order. */
    final List<VineEvent.PathChanged> pathChanges = new CopyOnWriteArrayList<>();
    private VineNode node;
    private MemoryTunDevice host;

    DemoNode(String name, int index, boolean relay) {
        this.name = name;
        this.index = index;
        this.relay = relay;
    }

    IpPrefix prefix() {
        return IpPrefix.parse("10.42." + index + ".0/24");
    }

    Inet4Address address() {
        return (Inet4Address) InetAddress.ofLiteral("10.42." + index + ".1");
    }

    PeerEntry entry() {
        return new PeerEntry(id, prefix(), relay);
    }

    /** Starts the node, allowlisting {@code members} and bootstrapping to the started {@code bootstrap}. */
    void start(List<DemoNode> members, List<DemoNode> bootstrap, EventLoopGroup io) {
        VineConfig.Builder b = VineConfig.builder("vine-demo")
                .tunName(name)
                .tunAddress(address().getHostAddress() + "/16")
                .localPrefix(prefix())
                .mtu(1400)
                .identity(IdentitySource.key(key))
                .listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))
                .relay(relay)
                .keepalive(Duration.ofMillis(500), Duration.ofSeconds(3))
                .redial(Duration.ofMillis(200), Duration.ofSeconds(1));
        members.forEach(m -> b.peer(m.entry()));
        bootstrap.forEach(m -> b.bootstrap(m.listenAddress()));
        VineConfig config = b.build();
        MemoryTunDevice.Pair pair = MemoryTunDevice.pair(config.tunConfig());
        host = pair.host();
        node = VineNode.builder(config)
                .device(c -> pair.device())
                .swarm(s -> s.ioGroup(io).transport(new TcpTransport()).security(new NoiseSecurity()).muxer(new Yamux()))
                .gater(gater)
                .events(e -> {
                    if (e instanceof VineEvent.PathChanged c) {
                        pathChanges.add(c);
                    }
                })
                .build();
        node.init();
        node.start();
        node.bootstrap().join();
    }

    Multiaddr listenAddress() {
        return node.swarm().listenAddresses().stream()
                .filter(a -> a.has(MultiaddrProtocol.TCP) && !a.has(MultiaddrProtocol.P2P_CIRCUIT))
                .findFirst().orElseThrow().withPeerId(id);
    }

    VineNode node() {
        return node;
    }

    Optional<PathKind> path(DemoNode peer) {
        return node.sessionPath(peer.id);
    }

    /** The route {@code owner} announced, once this node has it (packets to it are dropped as unknown route until then). */
    Optional<Route> route(DemoNode owner) {
        return node.routes().stream().filter(r -> r.owner().equals(owner.id)).findFirst();
    }

    /** An application on this node sends a datagram to {@code to}'s overlay address; returns what arrived there. */
    String send(DemoNode to, String text) {
        host.write(DemoPackets.udp(address(), to.address(), text));
        ByteBuffer in = ByteBuffer.allocate(to.host.minReadBuffer());
        int n = to.host.read(in, 5, TimeUnit.SECONDS);
        return n <= 0 ? null : DemoPackets.text(in.flip());
    }

    /** The kinds {@code peer}'s session moved to, in order (a gap without a path left out). */
    List<PathKind> pathHistory(DemoNode peer) {
        return pathChanges.stream().filter(c -> c.peer().equals(peer.id)).flatMap(c -> c.to().stream()).toList();
    }

    long counter(String name) {
        return node.diagnostics().get(name);
    }

    /** The drop counters that are not zero, by name, for a failure message. */
    Map<String, Long> drops() {
        Map<String, Long> drops = new TreeMap<>(node.diagnostics().counters());
        drops.keySet().removeIf(k -> !k.startsWith("drops_") && !k.equals("route_misses"));
        drops.values().removeIf(v -> v == 0);
        return drops;
    }

    void stop() {
        if (node != null) {
            node.stop();
        }
    }
}
