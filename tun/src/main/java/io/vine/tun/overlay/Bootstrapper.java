package io.vine.tun.overlay;

import io.vine.core.Connection;
import io.vine.core.PeerStore;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.peer.PeerId;
import io.vine.swarm.Swarm;
import io.vine.tun.session.PathKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One bootstrap run: the static bootstrap addresses (in parallel), then the seed records, then a
 * reservation on every connected relay-capable peer, then {@code Sessions.reconcile} for the peers
 * still unreached. Every step is reported as a {@link VineEvent.Bootstrap}.
 */
final class Bootstrapper {
    private static final long STEP_TIMEOUT_SECONDS = 10;

    private final Overlay overlay;
    private final Swarm swarm;
    private final List<VineEvent.Bootstrap> results = Collections.synchronizedList(new ArrayList<>());
    private final Predicate<PeerId> only;

    /** A run over every allowlisted peer. */
    Bootstrapper(Overlay overlay, Swarm swarm) {
        this(overlay, swarm, p -> true);
    }

    /** A run over the peers {@code only} accepts (the ones a reload added). */
    Bootstrapper(Overlay overlay, Swarm swarm, Predicate<PeerId> only) {
        this.overlay = overlay;
        this.swarm = swarm;
        this.only = only;
    }

    CompletableFuture<List<VineEvent.Bootstrap>> run() {
        List<CompletableFuture<?>> statics = new ArrayList<>();
        for (Multiaddr a : overlay.config.bootstrap()) {
            PeerId peer = a.peerId().orElseThrow();
            if (!only.test(peer)) {
                continue;
            }
            remember(peer, List.of(a.withoutPeerId()));
            statics.add(step(a.toString(), swarm.dial(a, false)));
        }
        return CompletableFuture.allOf(statics.toArray(CompletableFuture[]::new))
                .thenCompose(x -> seeds())
                .thenCompose(x -> reservations())
                .thenRunAsync(() -> overlay.sessionLogic.reconcile(only), swarm.executor())
                .thenApply(x -> {
                    report(new VineEvent.Bootstrap("bootstrap", true, "connected to " + connectedPeers() + " of "
                            + overlay.sessions.size() + " peers"));
                    return List.copyOf(results);
                });
    }

    private CompletableFuture<Void> seeds() {
        List<CompletableFuture<?>> dials = new ArrayList<>();
        for (SeedRecord s : overlay.config.seeds()) {
            if (s.peer().equals(overlay.self) || !only.test(s.peer())) {
                continue;
            }
            remember(s.peer(), s.addresses());
            if (swarm.connections(s.peer()).isEmpty()) {
                dials.add(step("seed " + s.peer(), swarm.dial(s.peer(), false)));
            }
        }
        return CompletableFuture.allOf(dials.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Void> reservations() {
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (PeerEntry e : overlay.config.allowlist()) {
            boolean direct = swarm.connections(e.peer()).stream().anyMatch(c -> Path.kindOf(c) == PathKind.DIRECT);
            if (e.relay() && !e.peer().equals(overlay.self) && direct && only.test(e.peer())) {
                Multiaddr circuit = Multiaddr.parse("/p2p/" + e.peer() + "/p2p-circuit");
                all.add(step("reservation " + circuit, swarm.listen(circuit)));
            }
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    void remember(PeerId peer, List<Multiaddr> addresses) {
        swarm.peerStore().addAddresses(peer, addresses, PeerStore.DEFAULT_ADDRESS_TTL);
        overlay.session(peer).ifPresent(s -> s.directAddresses.addAll(addresses));
    }

    /** The step's outcome as an event; never fails. */
    private CompletableFuture<Void> step(String target, CompletableFuture<?> f) {
        return f.orTimeout(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS).handle((v, e) -> {
            if (e == null) {
                String detail = v instanceof Connection c ? "connected to " + c.remotePeer() + " at " + c.remoteAddress()
                        : "ok: " + v;
                report(new VineEvent.Bootstrap(target, true, detail));
            } else {
                Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
                report(new VineEvent.Bootstrap(target, false, cause.getClass().getSimpleName() + ": " + cause.getMessage()));
            }
            return null;
        });
    }

    private void report(VineEvent.Bootstrap event) {
        results.add(event);
        overlay.emit(event);
    }

    private long connectedPeers() {
        return overlay.sessions.keySet().stream().filter(p -> !swarm.connections(p).isEmpty()).count();
    }
}
