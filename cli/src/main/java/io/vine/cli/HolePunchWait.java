package io.vine.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vine.core.Connection;
import io.vine.core.SwarmEvent;
import io.vine.core.multiaddr.MultiaddrProtocol;
import io.vine.core.peer.PeerId;
import io.vine.protocol.dcutr.HolePunchFailed;
import io.vine.protocol.dcutr.HolePunchSucceeded;
import io.vine.swarm.Swarm;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code vine node --connect <circuit> --hole-punch}: listens for the DCUtR outcome from before the
 * dial, then waits for it. After a success the relayed connections to the peer are closed, so that
 * what follows (ping, identify) provably goes direct.
 */
final class HolePunchWait {
    private final Swarm swarm;
    private final BlockingQueue<SwarmEvent> events = new LinkedBlockingQueue<>();
    private final AutoCloseable subscription;

    HolePunchWait(Swarm swarm) {
        this.swarm = swarm;
        this.subscription = swarm.subscribe(e -> {
            if (e instanceof HolePunchSucceeded || e instanceof HolePunchFailed) {
                events.add(e);
            }
        });
    }

    /** Waits for the outcome for {@code peer}; sets "path" (and "holePunchError" or "directAddress"). */
    void await(PeerId peer, int timeoutSeconds, ObjectNode result) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                SwarmEvent e = left <= 0 ? null : events.poll(left, TimeUnit.NANOSECONDS);
                if (e == null) {
                    result.put("path", "relay");
                    result.put("holePunchError", "timeout: no hole punch outcome within " + timeoutSeconds + " s");
                    return;
                }
                if (e instanceof HolePunchSucceeded s && s.peer().equals(peer)) {
                    result.put("path", "direct");
                    result.put("directAddress", s.direct().remoteAddress().toString());
                    for (Connection c : swarm.connections(peer)) {
                        if (c.remoteAddress().has(MultiaddrProtocol.P2P_CIRCUIT)) {
                            c.close().get(timeoutSeconds, TimeUnit.SECONDS);
                        }
                    }
                    return;
                }
                if (e instanceof HolePunchFailed f && f.peer().equals(peer)) {
                    result.put("path", "relay");
                    result.put("holePunchError", f.reason() + ": " + f.detail());
                    return;
                }
            }
        } finally {
            subscription.close();
        }
    }
}
