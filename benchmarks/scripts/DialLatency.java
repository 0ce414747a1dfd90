import io.vine.cli.NodeStack;
import io.vine.core.Connection;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.protocol.ping.Ping;
import io.vine.swarm.Swarm;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Dial + handshake + one ping round trip, vine side, measured inside one running JVM.
 *
 * <pre>java -cp cli/target/vine.jar benchmarks/scripts/DialLatency.java &lt;multiaddr&gt; &lt;noise|tls&gt; &lt;warmup&gt; &lt;samples&gt;</pre>
 *
 * <p>One node (the standard stack {@code vine perf} runs: TCP, the given security, yamux, identify,
 * ping) dials the target afresh for every sample: TCP connect, multistream-select, security handshake,
 * muxer negotiation, then one /ipfs/ping/1.0.0 round trip on a new stream; the connection is closed
 * and 300 ms pass, untimed, before the next sample (as in dial-latency.mjs). The first
 * {@code warmup} samples are dropped (JIT). Prints one JSON line:
 * {@code {"samplesMs":[...],"medianMs":m}}. Loopback targets only.
 */
public final class DialLatency {
    private static final long PACE_MS = 300;

    public static void main(String[] args) throws Exception {
        if (args.length != 4 || !(args[0].startsWith("/ip4/127.") || args[0].startsWith("/ip6/::1/"))) {
            System.out.println("{\"error\":\"usage: DialLatency <loopback multiaddr> <noise|tls> <warmup> <samples>\"}");
            System.exit(2);
        }
        Multiaddr target = Multiaddr.parse(args[0]);
        int warmup = Integer.parseInt(args[2]);
        int samples = Integer.parseInt(args[3]);
        double[] times = new double[samples];
        try (Swarm swarm = NodeStack.builder(null, List.of(args[1]), List.of("yamux"), "vine/perf-matrix").build()) {
            for (int i = 0; i < warmup + samples; i++) {
                long start = System.nanoTime();
                Connection c = swarm.dial(target, true).get(10, TimeUnit.SECONDS);
                Ping.ping(swarm, c.remotePeer(), 1).get(10, TimeUnit.SECONDS);
                long elapsed = System.nanoTime() - start;
                c.close().get(10, TimeUnit.SECONDS);
                Thread.sleep(PACE_MS); // untimed; the same pace as dial-latency.mjs (js listeners limit dials per second)
                if (i >= warmup) {
                    times[i - warmup] = elapsed / 1e6;
                }
            }
        }
        double[] sorted = times.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        StringBuilder json = new StringBuilder("{\"samplesMs\":[");
        for (int i = 0; i < n; i++) {
            json.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.3f", times[i]));
        }
        json.append(String.format(Locale.ROOT, "],\"medianMs\":%.3f}", median));
        System.out.println(json);
        System.exit(0);
    }
}
