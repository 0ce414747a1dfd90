package io.vine.protocol.autonat;

import io.vine.core.Connection;
import io.vine.core.Direction;
import io.vine.core.ProtocolContext;
import io.vine.core.Reachability;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.peer.PeerId;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's address pipeline. Candidates are the testable listen addresses and the observed
 * addresses enough observers agree on; one at a time, a candidate without a verdict (or with a stale
 * one) is sent to a connected server that speaks AutoNAT v2 and has not answered for it yet (a server
 * that gave no verdict is asked again after a backoff: {@link #retryBackoffNanos}). Each
 * address keeps the latest answer of its last {@code 2 * confirmations - 1} servers: PUBLIC once
 * {@code confirmations} of them dialed it, PRIVATE once as many failed. A new verdict goes to the
 * peer store, is published as {@link ReachabilityChanged}, and a confirmed public address that is not
 * a listen address becomes an external address (so identify advertises and pushes it). Confined to
 * the swarm loop.
 */
final class ReachabilityTracker {
    private static final Logger log = LoggerFactory.getLogger(ReachabilityTracker.class);
    private static final int MAX_CANDIDATES = 32;

    private final ProtocolContext context;
    private final AutoNatConfig config;
    private final BiFunction<PeerId, Multiaddr, CompletableFuture<DialResult>> checker;
    private final LongSupplier clock;
    private final ObservedAddresses observed = new ObservedAddresses();
    private final Set<PeerId> connected = new LinkedHashSet<>();
    private final Map<Multiaddr, State> states = new LinkedHashMap<>();
    private boolean inFlight;

    /** A server that gave no verdict {@code failures} times in a row; asked again from {@code retryAt}. */
    private record Backoff(int failures, long retryAt) {}

    private static final class State {
        final LinkedHashMap<PeerId, Boolean> results = new LinkedHashMap<>();
        /** Servers whose last answer on this address was no verdict, with their backoff. */
        final Map<PeerId, Backoff> backoffs = new HashMap<>();
        Reachability verdict = Reachability.UNKNOWN;
        long lastResultAt;
    }

    ReachabilityTracker(ProtocolContext context, AutoNatConfig config,
            BiFunction<PeerId, Multiaddr, CompletableFuture<DialResult>> checker, LongSupplier clock) {
        this.context = context;
        this.config = config;
        this.checker = checker;
        this.clock = clock;
    }

    void onConnected(PeerId peer) {
        connected.add(peer);
    }

    void onDisconnected(PeerId peer) {
        connected.remove(peer);
    }

    ObservedAddresses observed() {
        return observed;
    }

    /**
     * {@code reporter} says it sees this node at {@code address}. Counted only when one of the
     * connections to it maps a listen port: inbound, or outbound from a listen port (port reuse).
     */
    void onObserved(PeerId reporter, Multiaddr address) {
        Set<Integer> listenPorts = new HashSet<>();
        context.listenAddresses().forEach(a -> listenPorts.add(Addresses.port(a)));
        for (Connection c : context.connections(reporter)) {
            boolean mapsListenPort = c.direction() == Direction.INBOUND
                    || listenPorts.contains(Addresses.port(c.localAddress()));
            Optional<InetAddress> ip = Addresses.ip(c.remoteAddress());
            if (mapsListenPort && ip.isPresent() && Addresses.testable(address, config.allowPrivateAddresses())) {
                observed.record(address, ip.get(), clock.getAsLong());
                return;
            }
        }
    }

    /** The addresses worth testing now, listen addresses first. */
    List<Multiaddr> candidates() {
        LinkedHashSet<Multiaddr> out = new LinkedHashSet<>();
        for (Multiaddr a : context.listenAddresses()) {
            if (Addresses.testable(a, config.allowPrivateAddresses())) {
                out.add(a.withoutPeerId());
            }
        }
        out.addAll(observed.confirmed(config.observerThreshold(), clock.getAsLong()));
        return new ArrayList<>(out).subList(0, Math.min(out.size(), MAX_CANDIDATES));
    }

    /** Forgets addresses that are no longer candidates and starts one check when none runs. */
    void tick() {
        List<Multiaddr> candidates = candidates();
        for (Multiaddr gone : new ArrayList<>(states.keySet())) {
            if (!candidates.contains(gone)) {
                State s = states.remove(gone);
                change(gone, s.verdict, Reachability.UNKNOWN);
            }
        }
        if (inFlight) {
            return;
        }
        long now = clock.getAsLong();
        for (Multiaddr address : candidates) {
            State s = states.computeIfAbsent(address, a -> new State());
            boolean stale = s.verdict != Reachability.UNKNOWN && now - s.lastResultAt > config.recheckInterval().toNanos();
            if (s.verdict != Reachability.UNKNOWN && !stale) {
                continue;
            }
            Optional<PeerId> server = pickServer(s, stale, now);
            if (server.isPresent()) {
                start(address, server.get());
                return;
            }
        }
    }

    private Optional<PeerId> pickServer(State s, boolean stale, long now) {
        PeerId fallback = null;
        for (PeerId peer : connected) {
            Backoff backoff = s.backoffs.get(peer);
            if ((backoff != null && now - backoff.retryAt() < 0)
                    || !context.peerStore().protocols(peer).contains(AutoNat.DIAL_REQUEST_ID)) {
                continue;
            }
            if (!s.results.containsKey(peer)) {
                return Optional.of(peer);
            }
            if (stale && fallback == null) {
                fallback = peer;
            }
        }
        return Optional.ofNullable(fallback);
    }

    private void start(Multiaddr address, PeerId server) {
        inFlight = true;
        log.debug("asking {} to dial {}", server, address);
        checker.apply(server, address).whenCompleteAsync((result, e) -> {
            inFlight = false;
            onResult(address, server, result, e);
            tick();
        }, context.executor());
    }

    private void onResult(Multiaddr address, PeerId server, DialResult result, Throwable e) {
        State s = states.get(address);
        if (s == null) {
            return;
        }
        long now = clock.getAsLong();
        if (e != null || result.reachability() == Reachability.UNKNOWN) {
            Backoff last = s.backoffs.get(server);
            int failures = last == null ? 1 : last.failures() + 1;
            long wait = retryBackoffNanos(failures);
            log.debug("{} gave no verdict on {} ({} in a row; asking again in {} s): {}", server, address,
                    failures, wait / 1_000_000_000L, e != null ? e.toString() : result);
            s.backoffs.put(server, new Backoff(failures, now + wait));
            return;
        }
        s.backoffs.remove(server);
        s.results.remove(server);
        s.results.put(server, result.reachability() == Reachability.PUBLIC);
        while (s.results.size() > 2 * config.confirmations() - 1) {
            s.results.remove(s.results.keySet().iterator().next());
        }
        s.lastResultAt = now;
        long yes = s.results.values().stream().filter(b -> b).count();
        long no = s.results.size() - yes;
        Reachability verdict = yes >= config.confirmations() ? Reachability.PUBLIC
                : no >= config.confirmations() ? Reachability.PRIVATE : s.verdict;
        Reachability old = s.verdict;
        s.verdict = verdict;
        change(address, old, verdict);
    }

    /**
     * How long a server that gave no verdict {@code failures} times in a row (a refusal, a timeout, a
     * broken stream) is left alone for that address: the check interval, doubling with each failure,
     * at most the recheck interval. A transient failure of the only server costs one interval, not a
     * whole recheck interval.
     */
    long retryBackoffNanos(int failures) {
        long max = config.recheckInterval().toNanos();
        long backoff = config.checkInterval().toNanos();
        for (int i = 1; i < failures && backoff < max; i++) {
            backoff *= 2;
        }
        return Math.min(backoff, max);
    }

    private void change(Multiaddr address, Reachability old, Reachability now) {
        if (old == now) {
            return;
        }
        log.debug("{} is now {}", address, now);
        context.peerStore().setReachability(address, now);
        boolean listen = context.listenAddresses().stream().anyMatch(a -> a.withoutPeerId().equals(address));
        if (now == Reachability.PUBLIC && !listen) {
            context.addExternalAddress(address);
        } else if (old == Reachability.PUBLIC) {
            context.removeExternalAddress(address);
        }
        context.publish(new ReachabilityChanged(address, now));
    }

    Map<Multiaddr, Reachability> verdicts() {
        Map<Multiaddr, Reachability> out = new LinkedHashMap<>();
        states.forEach((a, s) -> out.put(a, s.verdict));
        return out;
    }
}
