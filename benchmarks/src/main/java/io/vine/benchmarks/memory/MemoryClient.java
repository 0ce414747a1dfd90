package io.vine.benchmarks.memory;

import io.netty.buffer.Unpooled;
import io.vine.core.Connection;
import io.vine.core.StreamChannel;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.swarm.Swarm;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The dialing process: opens the connections and streams phase by phase, measures itself and has
 * the server measure itself at each phase, and prints the result.
 */
final class MemoryClient {
    static final Duration CALL = Duration.ofSeconds(60);

    private final Options o;
    private final Recorder recorder = new Recorder("client");
    private final List<Snapshot> mine = new ArrayList<>();
    private final List<Snapshot> theirs = new ArrayList<>();
    private Swarm swarm;
    private Control.Client control;
    private String phase = "start";

    record Options(Multiaddr server, int connections, int streams, int concurrency, int warmup, int payload,
            int ioThreads, Duration phaseTimeout, int holdSeconds) {}

    MemoryClient(Options o) {
        this.o = o;
    }

    /** Runs the phases; returns the process exit status. */
    int run() {
        long started = System.nanoTime();
        try (Swarm s = Stacks.build(o.connections() + o.warmup() + 16, o.ioThreads())) {
            swarm = s;
            try {
                phase = "control";
                Connection controlConnection = s.dial(o.server()).get(CALL.toMillis(), TimeUnit.MILLISECONDS);
                control = Control.open(controlConnection, CALL);
                if (o.warmup() > 0) {
                    phase = "warmup";
                    List<Connection> warm = connect(o.warmup());
                    openStreams(warm);
                    close(warm);
                }
                measure(Recorder.BASELINE);
                phase = "connect";
                List<Connection> conns = connect(o.connections());
                measure(Recorder.CONNECTIONS);
                phase = "open streams";
                openStreams(conns);
                measure(Recorder.STREAMS);
                if (o.holdSeconds() > 0) {
                    phase = "hold";
                    System.out.println("holding " + o.holdSeconds() + " s with every stream open (client pid "
                            + ProcessHandle.current().pid() + "), e.g. for jcmd <pid> GC.class_histogram");
                    System.out.flush();
                    Thread.sleep(o.holdSeconds() * 1000L);
                }
                phase = "close";
                close(conns);
                measure(Recorder.CLOSED);
                print(System.nanoTime() - started, null);
                return 0;
            } catch (Throwable e) {
                System.out.println("FAILED in phase '" + phase + "': " + e);
                e.printStackTrace(System.out);
                try {
                    measure("failed");
                } catch (Throwable ignored) {
                    // the server may be gone; report what there is
                }
                print(System.nanoTime() - started, phase + ": " + e);
                return 1;
            } finally {
                try {
                    if (control != null) {
                        control.call("exit", Duration.ofSeconds(2));
                    }
                } catch (Exception ignored) {
                    // the server closes as it answers
                }
            }
        }
    }

    /** Opens {@code n} new connections to the server, at most {@code concurrency} handshakes at once. */
    private List<Connection> connect(int n) throws Exception {
        ConcurrentLinkedQueue<Connection> opened = new ConcurrentLinkedQueue<>();
        List<CompletableFuture<Connection>> all = bounded(n, () -> swarm.dial(o.server(), true)
                .whenComplete((c, e) -> {
                    if (c != null) {
                        opened.add(c);
                    }
                }));
        await(CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)), n + " connections");
        // identify runs one short stream each way on every new connection: wait until they are gone.
        settle(() -> Stacks.count(swarm)[1] == 1);
        return new ArrayList<>(opened);
    }

    /** Opens {@code streams} echo streams on every connection and waits until each has echoed its bytes. */
    private void openStreams(List<Connection> conns) throws Exception {
        int total = conns.size() * o.streams();
        List<CompletableFuture<Void>> all = bounded(total, new Supplier<>() {
            int next;

            @Override
            public CompletableFuture<Void> get() {
                Connection c = conns.get(next++ % conns.size());
                return c.newStream(Echo.ID).thenCompose(MemoryClient.this::echo);
            }
        });
        await(CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)), total + " echo streams");
    }

    private CompletableFuture<Void> echo(StreamChannel stream) {
        Echo.Check check = new Echo.Check(o.payload());
        byte[] bytes = new byte[o.payload()];
        byte[] tag = ("vine memory-scale stream " + stream.streamId() + " ").getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = tag[i % tag.length];
        }
        stream.eventLoop().execute(() -> {
            stream.pipeline().addLast(check);
            stream.config().setAutoRead(true);
            stream.writeAndFlush(Unpooled.wrappedBuffer(bytes));
        });
        return check.echoed;
    }

    private void close(List<Connection> conns) throws Exception {
        await(CompletableFuture.allOf(conns.stream().map(Connection::close).toArray(CompletableFuture[]::new)),
                "closing " + conns.size() + " connections");
        conns.clear(); // so that the measurement after closing sees what the stack, not this class, retains
        settle(() -> {
            long[] c = Stacks.count(swarm);
            return c[0] == 1 && c[1] == 1;
        });
    }

    /** Runs {@code n} tasks with at most {@code concurrency} unfinished at once. */
    private <T> List<CompletableFuture<T>> bounded(int n, Supplier<CompletableFuture<T>> task) throws Exception {
        Semaphore permits = new Semaphore(o.concurrency());
        List<CompletableFuture<T>> all = new ArrayList<>(n);
        long deadline = System.nanoTime() + o.phaseTimeout().toNanos();
        for (int i = 0; i < n; i++) {
            if (!permits.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new TimeoutException("only " + i + " of " + n + " started within " + o.phaseTimeout());
            }
            CompletableFuture<T> f = task.get();
            f.whenComplete((v, e) -> permits.release());
            all.add(f);
        }
        return all;
    }

    private void await(CompletableFuture<?> f, String what) throws Exception {
        try {
            f.get(o.phaseTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new TimeoutException(what + ": not done within " + o.phaseTimeout());
        }
    }

    /** Waits until the server has as many connections and streams as this side, and {@code local} holds. */
    private void settle(Supplier<Boolean> local) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            long[] here = Stacks.count(swarm);
            String[] there = control.call("count", CALL).split(" ");
            if (local.get() && Long.parseLong(there[0]) == here[0] && Long.parseLong(there[1]) == here[1]) {
                return;
            }
            Thread.sleep(100);
        }
        System.out.println("note: counts did not settle in 15 s: client " + java.util.Arrays.toString(Stacks.count(swarm))
                + ", server " + control.call("count", CALL));
    }

    private void measure(String name) throws Exception {
        phase = "measure " + name;
        long[] c = Stacks.count(swarm);
        mine.add(recorder.measure(name, c[0], c[1]));
        theirs.add(Snapshot.decode(control.call("measure " + name, CALL)));
    }

    private void print(long elapsedNanos, String failure) {
        System.out.println();
        System.out.println(recorder.histogramReport(25));
        if (control != null) {
            try {
                control.call("report", CALL);
            } catch (Exception e) {
                System.out.println("server report unavailable: " + e);
            }
        }
        if (!mine.isEmpty()) {
            System.out.println(Recorder.table("client", mine));
        }
        if (!theirs.isEmpty()) {
            System.out.println(Recorder.table("server", theirs));
        }
        System.out.println(Report.json(o, mine, theirs, elapsedNanos, failure));
    }
}
