import io.vine.cli.Main;
import io.vine.cli.NodeStack;
import io.vine.core.Connection;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.protocol.ping.Ping;
import io.vine.swarm.Swarm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The training workload of vine's AOT cache (see the {@code vine} launcher, {@code vine aot-train}).
 *
 * <pre>java -XX:AOTCacheOutput=cli/target/vine.aot -cp cli/target/vine.jar scripts/AotTraining.java [seconds]</pre>
 *
 * <p>One JVM plays both sides on loopback, through the same entry points the command line uses: a
 * {@code vine perf server} offering noise and tls, then {@code vine perf client} transfers over noise
 * and over tls, each way, and fresh dials with one ping round trip over each; so the cache holds the
 * classes and method profiles of the handshakes, the record layers, yamux and perf. The transfers
 * take about {@code seconds} (default 4) in all. Exits 0 when every step worked, 1 otherwise; the
 * cache is written when the JVM exits.
 */
public final class AotTraining {
    private static final long MIN_BYTES = 32L << 20;
    private static final long MAX_BYTES = 512L << 20;

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 4;
        PrintStream console = System.out;
        PipedInputStream serverOut = new PipedInputStream(1 << 16);
        PrintStream pipe = new PrintStream(new PipedOutputStream(serverOut), true, StandardCharsets.UTF_8);
        System.setOut(pipe);
        Thread server = new Thread(() -> Main.run("perf", "server", "--listen", "/ip4/127.0.0.1/tcp/0",
                "--security", "noise,tls"), "aot-training-server");
        server.setDaemon(true);
        server.start();
        String address = new BufferedReader(new InputStreamReader(serverOut, StandardCharsets.UTF_8)).readLine();
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        if (address == null || !address.contains("/p2p/")) {
            console.println("aot-training: the perf server printed no address: " + address);
            System.exit(1);
        }
        int failures = 0;
        long bytes = MIN_BYTES;
        for (String security : List.of("noise", "tls")) {
            // the first transfer sizes the rest, so that the whole run takes about `seconds`
            long start = System.nanoTime();
            failures += perf(address, security, bytes);
            double rate = 2.0 * bytes / ((System.nanoTime() - start) / 1e9);
            long sized = (long) Math.min(MAX_BYTES, Math.max(MIN_BYTES, rate * seconds / 4 / 2));
            failures += perf(address, security, sized);
            failures += dials(address, security, 20);
        }
        console.println("aot-training: " + (failures == 0 ? "done" : failures + " step(s) failed"));
        System.exit(failures == 0 ? 0 : 1);
    }

    private static int perf(String address, String security, long bytes) {
        int code = Main.run("perf", "client", "--server", address, "--security", security,
                "--upload-bytes", Long.toString(bytes), "--download-bytes", Long.toString(bytes), "--format", "text",
                "--jit", "full"); // profiles for every hot method, not only those a short run compiles fully
        return code == 0 ? 0 : 1;
    }

    private static int dials(String address, String security, int count) {
        Multiaddr target = Multiaddr.parse(address);
        try (Swarm swarm = NodeStack.builder(null, List.of(security), List.of("yamux"), "vine/aot-training").build()) {
            for (int i = 0; i < count; i++) {
                Connection c = swarm.dial(target, true).get(15, TimeUnit.SECONDS);
                Ping.ping(swarm, c.remotePeer(), 1).get(15, TimeUnit.SECONDS);
                c.close().get(15, TimeUnit.SECONDS);
            }
            return 0;
        } catch (Exception e) {
            System.err.println("aot-training: dial over " + security + ": " + e);
            return 1;
        }
    }
}
