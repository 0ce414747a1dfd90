package io.vine.protocol.perf;

import static java.util.Objects.requireNonNull;

import io.vine.core.Protocol;
import io.vine.core.ProtocolContext;
import io.vine.core.StreamChannel;
import io.vine.core.peer.PeerId;
import io.vine.swarm.Swarm;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The perf protocol ({@code /perf/1.0.0}): registered with a swarm it serves measurements (up to
 * {@link PerfConfig#maxInboundStreams()} at once, each asking for at most
 * {@link PerfConfig#maxDownloadBytes()}); {@link #run} measures against a peer that serves it. The
 * spec advises against serving perf on publicly reachable nodes: register it only where you mean to.
 * Thread-safe.
 *
 * <pre>{@code
 * PerfRun run = Perf.run(swarm, serverPeer, 1 << 30, 1 << 30);
 * PerfResult r = run.result().join();
 * System.out.printf("%.2f Gbit/s%n", r.totalGbitPerSecond());
 * }</pre>
 */
public final class Perf implements Protocol {
    private static final Logger log = LoggerFactory.getLogger(Perf.class);

    public static final String PROTOCOL_ID = "/perf/1.0.0";

    private final PerfConfig config;
    private final AtomicInteger inbound = new AtomicInteger();
    private volatile ProtocolContext context;

    /** Perf with {@link PerfConfig#DEFAULT}. */
    public Perf() {
        this(PerfConfig.DEFAULT);
    }

    public Perf(PerfConfig config) {
        this.config = requireNonNull(config, "config");
    }

    public PerfConfig config() {
        return config;
    }

    /**
     * Measures against {@code server} through the {@link Perf} registered with {@code swarm}, or, when
     * none is, with the default configuration (a client needs no registration).
     */
    public static PerfRun run(Swarm swarm, PeerId server, long uploadBytes, long downloadBytes) {
        requireNonNull(swarm, "swarm");
        Perf perf = swarm.protocol(Perf.class).orElseGet(() -> {
            Perf transientPerf = new Perf();
            transientPerf.context = swarm;
            return transientPerf;
        });
        return perf.run(server, uploadBytes, downloadBytes);
    }

    @Override
    public List<String> protocolIds() {
        return List.of(PROTOCOL_ID);
    }

    @Override
    public void start(ProtocolContext context) {
        this.context = requireNonNull(context, "context");
    }

    /**
     * Opens a perf stream to {@code server} (dialing it if needed), uploads {@code uploadBytes}, then
     * downloads {@code downloadBytes}; see {@link PerfRun#result()} for the outcome. A server that
     * refuses the request (more than its maximum) resets the stream: the result fails with a
     * {@link PerfException} that says so.
     */
    public PerfRun run(PeerId server, long uploadBytes, long downloadBytes) {
        requireNonNull(server, "server");
        if (uploadBytes < 0) {
            throw new IllegalArgumentException("uploadBytes: " + uploadBytes + " (expected: >= 0)");
        }
        if (downloadBytes < 0) {
            throw new IllegalArgumentException("downloadBytes: " + downloadBytes + " (expected: >= 0)");
        }
        ProtocolContext ctx = context;
        if (ctx == null) {
            throw new IllegalStateException("Perf is not started: register it with a swarm");
        }
        PerfRun run = new PerfRun(uploadBytes, downloadBytes);
        ctx.newStream(server, new PerfClient(run, config.idleTimeout()), PROTOCOL_ID).whenComplete((stream, e) -> {
            if (e != null) {
                run.result().completeExceptionally(e instanceof CompletionException && e.getCause() != null
                        ? e.getCause() : e);
            }
        });
        return run;
    }

    @Override
    public void acceptInboundStream(StreamChannel stream, String protocolId) {
        if (inbound.incrementAndGet() > config.maxInboundStreams()) {
            inbound.decrementAndGet();
            log.info("perf: resetting a stream from {}: {} perf streams are open (expected: <= {})",
                    stream.connection().remotePeer(), config.maxInboundStreams(), config.maxInboundStreams());
            stream.reset();
            return;
        }
        stream.pipeline().addLast(new PerfResponder(config.maxDownloadBytes(), config.idleTimeout(),
                inbound::decrementAndGet));
    }

    /** Perf streams being served now. */
    public int activeInboundStreams() {
        return inbound.get();
    }
}
