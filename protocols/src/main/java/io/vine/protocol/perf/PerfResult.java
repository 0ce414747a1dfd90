package io.vine.protocol.perf;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * One completed perf measurement, as the client saw it.
 *
 * @param uploadBytes bytes sent to the server
 * @param downloadBytes bytes received from the server
 * @param uploadTime from the stream's start to the client's end of stream (FIN) handed to the muxer
 * @param downloadTime from that FIN to the server's end of stream (includes one round trip)
 * @param totalTime from the stream's start to the server's end of stream
 */
public record PerfResult(long uploadBytes, long downloadBytes, Duration uploadTime, Duration downloadTime,
        Duration totalTime) {

    public PerfResult {
        requireNonNull(uploadTime, "uploadTime");
        requireNonNull(downloadTime, "downloadTime");
        requireNonNull(totalTime, "totalTime");
    }

    /** Upload throughput in Gbit/s (10^9 bits per second); 0 when nothing was uploaded. */
    public double uploadGbitPerSecond() {
        return gbitPerSecond(uploadBytes, uploadTime);
    }

    /** Download throughput in Gbit/s; 0 when nothing was downloaded. */
    public double downloadGbitPerSecond() {
        return gbitPerSecond(downloadBytes, downloadTime);
    }

    /** Both directions over the whole stream, in Gbit/s. */
    public double totalGbitPerSecond() {
        return gbitPerSecond(uploadBytes + downloadBytes, totalTime);
    }

    /** {@code bytes} moved in {@code time}, in Gbit/s; 0 for no bytes or no time. */
    public static double gbitPerSecond(long bytes, Duration time) {
        long nanos = time.toNanos();
        return bytes <= 0 || nanos <= 0 ? 0 : bytes * 8.0 / nanos;
    }
}
