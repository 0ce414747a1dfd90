package io.vine.cli.control;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.peer.PeerId;
import io.vine.tun.overlay.DebugSnapshot;
import io.vine.tun.overlay.VineNode;
import io.vine.tun.route.Route;
import io.vine.tun.session.PathKind;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The JSON documents of the control API, built from a running {@link VineNode}. */
final class NodeView {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SESSION_PING_TIMEOUT = Duration.ofMillis(1500);

    private final String name;
    private final VineNode node;
    private final SwarmCounters swarmCounters;
    private final Instant started = Instant.now();

    NodeView(String name, VineNode node, SwarmCounters swarmCounters) {
        this.name = requireNonNull(name, "name");
        this.node = requireNonNull(node, "node");
        this.swarmCounters = requireNonNull(swarmCounters, "swarmCounters");
    }

    VineNode node() {
        return node;
    }

    ObjectNode ping() {
        return JSON.createObjectNode().put("ok", true).put("peerId", node.localPeer().toBase58())
                .put("state", node.state().toString());
    }

    ObjectNode status() {
        DebugSnapshot s = node.debugSnapshot();
        ObjectNode o = JSON.createObjectNode();
        o.put("name", name).put("peerId", s.localPeer().toBase58()).put("networkId", s.networkId())
                .put("state", s.state().toString()).put("localPrefix", s.localPrefix().toString())
                .put("tun", node.config().tunName() + " " + node.config().tunAddress())
                .put("uptimeSeconds", Duration.between(started, Instant.now()).toSeconds());
        ArrayNode listen = o.putArray("listenAddresses");
        node.swarm().listenAddresses().forEach(a -> listen.add(a.toString()));
        List<DebugSnapshot.PeerView> others = s.peers().stream().filter(p -> !p.peer().equals(s.localPeer())).toList();
        o.put("peers_total", others.size());
        o.put("peers_connected", others.stream().filter(p -> !node.swarm().connections(p.peer()).isEmpty()).count());
        o.put("peers_admitted", others.stream().filter(DebugSnapshot.PeerView::admitted).count());
        swarmCounters.snapshot().forEach(o::put);
        o.put("routes", s.routes().size());
        o.put("reloadSupported", false);
        return o;
    }

    ArrayNode peers() {
        DebugSnapshot s = node.debugSnapshot();
        ArrayNode a = JSON.createArrayNode();
        for (DebugSnapshot.PeerView p : s.peers()) {
            ObjectNode o = a.addObject();
            boolean self = p.peer().equals(s.localPeer());
            o.put("peerId", p.peer().toBase58()).put("prefix", p.prefix().toString()).put("relayCapable", p.relay())
                    .put("self", self).put("admitted", p.admitted())
                    .put("connected", !self && !node.swarm().connections(p.peer()).isEmpty())
                    .put("path", self ? "self" : node.sessionPath(p.peer()).map(NodeView::kind).orElse("none"))
                    .put("refused", p.refused().orElse(null));
            ArrayNode addrs = o.putArray("addresses");
            node.swarm().connections(p.peer()).forEach(c -> addrs.add(c.remoteAddress().toString()));
        }
        return a;
    }

    ArrayNode routes() {
        ArrayNode a = JSON.createArrayNode();
        for (Route r : node.routes()) {
            a.addObject().put("prefix", r.prefix().toString()).put("owner", r.owner().toBase58())
                    .put("local", r.owner().equals(node.localPeer())).put("epoch", r.epoch());
        }
        return a;
    }

    /** Sessions with their paths; each ready session is pinged (at most 1.5 s, all at once) for its latency. */
    ArrayNode sessions() {
        DebugSnapshot s = node.debugSnapshot();
        Map<PeerId, CompletableFuture<Duration>> pings = new HashMap<>();
        for (DebugSnapshot.SessionView v : s.sessions()) {
            if (v.preferred().isPresent()) {
                pings.put(v.peer(), node.ping(v.peer()).completeOnTimeout(null, SESSION_PING_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                        .exceptionally(e -> null));
            }
        }
        ArrayNode a = JSON.createArrayNode();
        for (DebugSnapshot.SessionView v : s.sessions()) {
            ObjectNode o = a.addObject();
            o.put("peerId", v.peer().toBase58());
            o.put("prefix", s.peers().stream().filter(p -> p.peer().equals(v.peer())).findFirst()
                    .map(p -> p.prefix().toString()).orElse(null));
            o.put("path", v.preferred().map(NodeView::kind).orElse("none"));
            Optional<DebugSnapshot.PathView> preferred = v.paths().stream().filter(DebugSnapshot.PathView::preferred).findFirst();
            o.put("via", preferred.flatMap(p -> relayOf(p.remoteAddress())).orElse(null));
            Duration rtt = pings.containsKey(v.peer()) ? pings.get(v.peer()).join() : null;
            if (rtt == null) {
                o.putNull("latencyMs");
            } else {
                o.put("latencyMs", rtt.toNanos() / 1e6);
            }
            long in = 0;
            long out = 0;
            ArrayNode paths = o.putArray("paths");
            for (DebugSnapshot.PathView p : v.paths()) {
                ObjectNode po = paths.addObject().put("kind", kind(p.kind())).put("connectionId", p.connectionId())
                        .put("remoteAddress", p.remoteAddress()).put("ready", p.ready()).put("offload", p.offload())
                        .put("preferred", p.preferred())
                        .put("via", relayOf(p.remoteAddress()).orElse(null));
                Optional<long[]> b = swarmCounters.bytes(p.connectionId());
                if (b.isPresent()) {
                    po.put("bytesIn", b.get()[0]).put("bytesOut", b.get()[1]);
                    in += b.get()[0];
                    out += b.get()[1];
                }
            }
            o.put("bytesIn", in).put("bytesOut", out);
        }
        return a;
    }

    ObjectNode counters() {
        ObjectNode o = JSON.createObjectNode();
        node.diagnostics().counters().forEach(o::put);
        return o;
    }

    ObjectNode snapshot() {
        ObjectNode o = JSON.createObjectNode();
        o.set("status", status());
        o.set("peers", peers());
        o.set("routes", routes());
        o.set("sessions", sessions());
        o.set("counters", counters());
        return o;
    }

    /** A peer id, or the owner of the longest route containing an overlay address. */
    PeerId resolvePeer(String text) {
        requireNonNull(text, "text");
        try {
            return PeerId.parse(text);
        } catch (RuntimeException notAPeerId) {
            InetAddress address;
            try {
                address = InetAddress.ofLiteral(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("peer: '" + text + "' (expected: a peer id or an overlay IP address)");
            }
            return node.routes().stream().filter(r -> r.prefix().contains(address))
                    .max((x, y) -> Integer.compare(x.prefix().length(), y.prefix().length())).map(Route::owner)
                    .orElseThrow(() -> new IllegalArgumentException("peer: no route to " + text));
        }
    }

    static String kind(PathKind k) {
        return switch (k) {
            case DIRECT -> "direct";
            case RELAY -> "relay";
            case SIGNALING_ASSISTED -> "signaling-assisted";
            default -> k.toString().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        };
    }

    /** The relay's peer id in a circuit address {@code .../p2p/<relay>/p2p-circuit/...}. */
    static Optional<String> relayOf(String remoteAddress) {
        int circuit = remoteAddress == null ? -1 : remoteAddress.indexOf("/p2p-circuit");
        if (circuit < 0) {
            return Optional.empty();
        }
        String before = remoteAddress.substring(0, circuit);
        int p2p = before.lastIndexOf("/p2p/");
        return p2p < 0 ? Optional.empty() : Optional.of(before.substring(p2p + 5));
    }

    static Optional<Multiaddr> parseAddress(String text) {
        try {
            return Optional.of(Multiaddr.parse(text));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
