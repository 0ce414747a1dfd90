package io.vine.protocol.identify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vine.core.Connection;
import io.vine.core.PeerStore;
import io.vine.core.Protocol;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.peer.PeerId;
import io.vine.protocol.ping.Ping;
import io.vine.swarm.Swarm;
import io.vine.swarm.multistream.NegotiationException;
import io.vine.testkit.TestSwarms;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Identify between swarms over the in-memory transport. */
class IdentifySwarmTest {
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables.reversed()) {
            c.close();
        }
    }

    private Swarm swarm(Protocol... protocols) {
        Swarm s = TestSwarms.memory(protocols);
        closeables.add(s);
        return s;
    }

    /** The PeerIdentified events {@code swarm} publishes from now on. */
    private BlockingQueue<PeerIdentified> identified(Swarm swarm) {
        BlockingQueue<PeerIdentified> q = new LinkedBlockingQueue<>();
        closeables.add(swarm.subscribe(e -> {
            if (e instanceof PeerIdentified p) {
                q.add(p);
            }
        }));
        return q;
    }

    private static PeerIdentified next(BlockingQueue<PeerIdentified> q) throws InterruptedException {
        PeerIdentified e = q.poll(10, TimeUnit.SECONDS);
        assertThat(e).as("a PeerIdentified event within 10 s").isNotNull();
        return e;
    }

    @Test
    void bothSidesIdentifyEachOtherOnConnect() throws Exception {
        Swarm a = swarm(new Identify("agent-a/1.0"), new Ping());
        Swarm b = swarm(new Identify("agent-b/2.0"), new Ping());
        BlockingQueue<PeerIdentified> atA = identified(a);
        BlockingQueue<PeerIdentified> atB = identified(b);

        TestSwarms.connect(a, b);
        PeerIdentified aLearned = next(atA);
        PeerIdentified bLearned = next(atB);

        PeerId pa = a.localPeer();
        PeerId pb = b.localPeer();
        Connection aToB = a.connections(pb).getFirst();
        Connection bToA = b.connections(pa).getFirst();

        assertThat(aLearned.peer()).isEqualTo(pb);
        IdentifyInfo info = aLearned.info();
        assertThat(info.publicKey()).isEqualTo(b.privateKey().publicKey());
        assertThat(info.agentVersion()).isEqualTo("agent-b/2.0");
        assertThat(info.protocolVersion()).isEqualTo("ipfs/0.1.0");
        assertThat(info.protocols()).containsExactlyInAnyOrderElementsOf(b.protocolIds());
        assertThat(info.listenAddrs()).containsExactlyElementsOf(b.listenAddresses());
        // b saw a at the remote address of its connection; a is told so.
        assertThat(info.observedAddr()).contains(bToA.remoteAddress());

        PeerStore storeA = a.peerStore();
        assertThat(storeA.agentVersion(pb)).contains("agent-b/2.0");
        assertThat(storeA.protocolVersion(pb)).contains("ipfs/0.1.0");
        assertThat(storeA.protocols(pb)).contains(Identify.PROTOCOL_ID, Identify.PUSH_PROTOCOL_ID, Ping.PROTOCOL_ID);
        assertThat(storeA.publicKey(pb)).contains(b.privateKey().publicKey());
        assertThat(storeA.addresses(pb)).containsExactlyInAnyOrderElementsOf(b.listenAddresses());
        assertThat(storeA.observedAddresses()).contains(bToA.remoteAddress());

        assertThat(bLearned.peer()).isEqualTo(pa);
        assertThat(bLearned.info().agentVersion()).isEqualTo("agent-a/1.0");
        assertThat(bLearned.info().observedAddr()).contains(aToB.remoteAddress());
        PeerStore storeB = b.peerStore();
        assertThat(storeB.agentVersion(pa)).contains("agent-a/1.0");
        assertThat(storeB.protocols(pa)).containsExactlyInAnyOrderElementsOf(a.protocolIds());
        assertThat(storeB.observedAddresses()).contains(aToB.remoteAddress());
    }

    @Test
    void identifyOnDemand() throws Exception {
        Swarm a = swarm(new Identify());
        Swarm b = swarm(new Identify("on-demand/1"));
        TestSwarms.connect(a, b);
        IdentifyInfo info = Identify.identify(a, b.localPeer()).get(10, TimeUnit.SECONDS);
        assertThat(info.agentVersion()).isEqualTo("on-demand/1");
        assertThat(info.publicKey()).isEqualTo(b.privateKey().publicKey());
        assertThat(Identify.DEFAULT_AGENT_VERSION).startsWith("vine/");
    }

    @Test
    void newListenAddressIsPushed() throws Exception {
        Swarm a = swarm(new Identify());
        Swarm b = swarm(new Identify());
        BlockingQueue<PeerIdentified> atA = identified(a);
        TestSwarms.connect(a, b);
        next(atA);

        Multiaddr added = b.listen(Multiaddr.parse("/memory/0")).get(10, TimeUnit.SECONDS);
        PeerIdentified pushed = next(atA);
        assertThat(pushed.peer()).isEqualTo(b.localPeer());
        assertThat(pushed.info().listenAddrs()).contains(added).hasSize(b.listenAddresses().size());
        assertThat(a.peerStore().addresses(b.localPeer())).contains(added);
    }

    @Test
    void peerWithoutIdentifyOrPingRefusesCleanly() throws Exception {
        Swarm a = swarm(new Identify(), new Ping());
        Swarm bare = swarm();
        TestSwarms.connect(a, bare);
        assertThatThrownBy(() -> Identify.identify(a, bare.localPeer()).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(NegotiationException.class);
        assertThatThrownBy(() -> Ping.ping(a, bare.localPeer(), 1).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(NegotiationException.class);
        assertThat(a.connections(bare.localPeer())).isNotEmpty();
    }
}
