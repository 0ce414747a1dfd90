package io.vine.tun.linux;

import io.vine.tun.TunException;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Runs work inside another network namespace. setns(2) with CLONE_NEWNET changes the namespace of
 * the calling thread only, so the work runs on a fresh platform thread that enters the namespace and
 * then ends. Sockets and TUN devices the work opens stay in that namespace after the thread is gone.
 */
final class Netns {
    private Netns() {}

    static <T> T call(Path netns, Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = Thread.ofPlatform().name("vine-netns").daemon(true).start(() -> {
            try {
                enter(netns);
                result.complete(work.get());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            thread.join();
            return result.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TunException("interrupted while working in network namespace " + netns, e);
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** Moves the calling thread into the network namespace named by the file {@code netns}. */
    static void enter(Path netns) {
        int fd;
        try (Arena arena = Arena.ofConfined()) {
            fd = Libc.open(arena.allocateFrom(netns.toString()), Libc.O_RDONLY | Libc.O_CLOEXEC);
        }
        if (fd < 0) {
            int errno = Libc.errno();
            throw new TunException("opening network namespace " + netns + " failed: " + Libc.strerror(errno)
                    + (errno == Libc.ENOENT ? " (create it first, e.g. ip netns add)" : ""));
        }
        try {
            if (Libc.setns(fd, Libc.CLONE_NEWNET) < 0) {
                int errno = Libc.errno();
                throw new TunException("entering network namespace " + netns + " failed: " + Libc.strerror(errno)
                        + (errno == Libc.EPERM ? "; it needs CAP_SYS_ADMIN (run as root)"
                                : errno == Libc.EINVAL ? "; is it a network namespace file?" : ""));
            }
        } finally {
            Libc.close(fd);
        }
    }
}
