package io.vine.swarm;

import io.vine.core.Protocol;
import io.vine.core.SwarmEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Delivers swarm events to protocols, then to subscribers, on the swarm loop. */
final class EventBus {
    private static final Logger log = LoggerFactory.getLogger(EventBus.class);

    private final SwarmLoop loop;
    private final Supplier<List<Protocol>> protocols;
    private final List<Consumer<SwarmEvent>> subscribers = new CopyOnWriteArrayList<>();

    EventBus(SwarmLoop loop, Supplier<List<Protocol>> protocols) {
        this.loop = loop;
        this.protocols = protocols;
    }

    AutoCloseable subscribe(Consumer<SwarmEvent> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    void publish(SwarmEvent event) {
        loop.run(() -> deliver(event));
    }

    private void deliver(SwarmEvent event) {
        for (Protocol p : protocols.get()) {
            try {
                p.onEvent(event);
            } catch (RuntimeException e) {
                log.warn("protocol {} failed on {}", p.protocolIds(), event, e);
            }
        }
        for (Consumer<SwarmEvent> s : subscribers) {
            try {
                s.accept(event);
            } catch (RuntimeException e) {
                log.warn("event subscriber failed on {}", event, e);
            }
        }
    }
}
