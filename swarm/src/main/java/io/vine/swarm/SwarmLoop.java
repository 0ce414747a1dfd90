package io.vine.swarm;

import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/** Runs work on the single thread that owns swarm state, from whatever thread asks. */
final class SwarmLoop {
    private final EventExecutor executor;

    SwarmLoop(EventExecutor executor) {
        this.executor = executor;
    }

    EventExecutor executor() {
        return executor;
    }

    boolean inLoop() {
        return executor.inEventLoop();
    }

    void run(Runnable task) {
        if (executor.inEventLoop()) {
            task.run();
        } else {
            executor.execute(task);
        }
    }

    /** Answers on the loop; a caller off the loop waits for the answer. */
    <T> T call(Supplier<T> query) {
        if (executor.inEventLoop()) {
            return query.get();
        }
        try {
            return executor.submit(query::get).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the swarm", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /** Runs an asynchronous step on the loop and passes its future on. */
    <T> CompletableFuture<T> compose(Supplier<CompletableFuture<T>> step) {
        if (executor.inEventLoop()) {
            return step.get();
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        executor.execute(() -> step.get().whenComplete((v, e) -> {
            if (e != null) {
                result.completeExceptionally(Futures.unwrap(e));
            } else {
                result.complete(v);
            }
        }));
        return result;
    }
}
