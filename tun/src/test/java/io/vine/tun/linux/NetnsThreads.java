package io.vine.tun.linux;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** Work on a thread inside a network namespace, for root tests outside this package. */
public final class NetnsThreads {
    private NetnsThreads() {}

    /** Runs {@code work} on a new daemon thread inside the namespace at {@code netns}, without waiting. */
    public static <T> CompletableFuture<T> async(Path netns, Supplier<T> work) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread.ofPlatform().daemon(true).name("vine-test-netns").start(() -> {
            try {
                f.complete(Netns.call(netns, work));
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f;
    }
}
