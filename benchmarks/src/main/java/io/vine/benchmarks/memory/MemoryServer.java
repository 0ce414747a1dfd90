package io.vine.benchmarks.memory;

import io.vine.core.multiaddr.Multiaddr;
import io.vine.swarm.Swarm;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The listening process: echo streams, and the control protocol through which the client has it
 * measure itself. Prints {@code listening <multiaddr>} once it listens; stops on {@code exit}.
 */
final class MemoryServer {
    private final Recorder recorder = new Recorder("server");
    private final CountDownLatch exit = new CountDownLatch(1);
    private volatile Swarm swarm;

    void run(Multiaddr listen, int maxConnections, int ioThreads) throws Exception {
        ExecutorService control = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "memory-control");
            t.setDaemon(true);
            return t;
        });
        try (Swarm s = Stacks.build(maxConnections, ioThreads, Echo.server(), Control.server(this::handle, control))) {
            swarm = s;
            Multiaddr bound = s.listen(listen).get(10, TimeUnit.SECONDS);
            System.out.println("server pid " + ProcessHandle.current().pid());
            System.out.println("listening " + bound.withPeerId(s.localPeer()));
            System.out.flush();
            exit.await();
        } finally {
            control.shutdownNow();
        }
    }

    private String handle(String line) {
        String[] words = line.split(" ");
        switch (words[0]) {
            case "count" -> {
                long[] c = Stacks.count(swarm);
                return c[0] + " " + c[1];
            }
            case "measure" -> {
                if (words.length != 2) {
                    throw new IllegalArgumentException("measure: " + line + " (expected: measure <phase>)");
                }
                long[] c = Stacks.count(swarm);
                Snapshot s = recorder.measure(words[1], c[0], c[1]);
                System.out.println("measured " + s.encode());
                return s.encode();
            }
            case "report" -> {
                System.out.println(recorder.histogramReport(25));
                System.out.flush();
                return "ok";
            }
            case "exit" -> {
                exit.countDown();
                return "bye";
            }
            default -> throw new IllegalArgumentException("command: " + words[0]
                    + " (expected: count, measure, report or exit)");
        }
    }
}
