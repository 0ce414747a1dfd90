package io.vine.protocol.perf;

import io.vine.core.StreamException;

/** A perf measurement failed: the server refused it or cut the stream, or the stream stalled. */
public class PerfException extends StreamException {
    public PerfException(String message) {
        super(message);
    }

    public PerfException(String message, Throwable cause) {
        super(message, cause);
    }
}
