package io.vine.swarm;

import io.vine.core.Protocol;
import io.vine.testkit.TestSwarms;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** The transports swarm tests run over, and small waiting helpers. */
enum Net {
    MEMORY {
        @Override
        Swarm swarm(Consumer<SwarmBuilder> customize, Protocol... protocols) {
            return TestSwarms.memory(customize, protocols);
        }
    },
    TCP {
        @Override
        Swarm swarm(Consumer<SwarmBuilder> customize, Protocol... protocols) {
            return TestSwarms.tcp(customize, protocols);
        }
    };

    abstract Swarm swarm(Consumer<SwarmBuilder> customize, Protocol... protocols);

    Swarm swarm(Protocol... protocols) {
        return swarm(b -> {}, protocols);
    }

    static <T> T await(CompletableFuture<T> f) {
        return f.orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** Waits up to 10 s for {@code condition}; fails with {@code what} otherwise. */
    static void eventually(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
