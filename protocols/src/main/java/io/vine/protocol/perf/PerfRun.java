package io.vine.protocol.perf;

import io.vine.core.StreamChannel;
import java.util.concurrent.CompletableFuture;

/**
 * A perf measurement under way: live byte counters (readable from any thread, e.g. once a second for
 * progress) and the {@link #result()}. {@link #cancel()} resets the stream.
 */
public final class PerfRun {
    private final long uploadTarget;
    private final long downloadTarget;
    private final CompletableFuture<PerfResult> result = new CompletableFuture<>();
    private volatile long uploaded;
    private volatile long downloaded;
    private volatile StreamChannel stream;

    PerfRun(long uploadTarget, long downloadTarget) {
        this.uploadTarget = uploadTarget;
        this.downloadTarget = downloadTarget;
        result.whenComplete((r, e) -> {
            StreamChannel s = stream;
            if (e != null && s != null && s.isOpen()) {
                s.reset();
            }
        });
    }

    /** The bytes the client asked to upload. */
    public long uploadTarget() {
        return uploadTarget;
    }

    /** The bytes the client asked the server to send. */
    public long downloadTarget() {
        return downloadTarget;
    }

    /** Bytes handed to the stream so far (at most a few write buffers ahead of the wire). */
    public long uploadedBytes() {
        return uploaded;
    }

    /** Bytes received from the server so far. */
    public long downloadedBytes() {
        return downloaded;
    }

    /**
     * Completes with the measurement, or fails with a {@link PerfException} (refused, cut, stalled, or
     * the server sent the wrong amount), or with the dial's or negotiation's exception.
     */
    public CompletableFuture<PerfResult> result() {
        return result;
    }

    /** Aborts the measurement: resets the stream and fails {@link #result()}. */
    public void cancel() {
        result.completeExceptionally(new PerfException("perf cancelled after uploading " + uploaded
                + " of " + uploadTarget + " bytes and downloading " + downloaded + " of " + downloadTarget));
    }

    void stream(StreamChannel s) {
        stream = s;
        if (result.isCompletedExceptionally() && s.isOpen()) {
            s.reset();
        }
    }

    void uploaded(long bytes) {
        uploaded = bytes;
    }

    void downloaded(long bytes) {
        downloaded = bytes;
    }
}
