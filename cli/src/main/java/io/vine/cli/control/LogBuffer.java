package io.vine.cli.control;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The node's recent log lines (a bounded ring) and live subscribers, for {@code GET /p2p/logs}.
 * Each line is {@code <ISO instant> <message>}. Thread-safe; subscribers run on the logging thread
 * and must not block.
 */
public final class LogBuffer {
    /** Lines kept by default. */
    public static final int DEFAULT_CAPACITY = 1000;

    private final int capacity;
    private final ArrayDeque<String> lines = new ArrayDeque<>();
    private final List<Consumer<String>> subscribers = new CopyOnWriteArrayList<>();
    private final Consumer<String> sink;

    /** A buffer of {@code capacity} lines that also hands each line to {@code sink} (the process log). */
    public LogBuffer(int capacity, Consumer<String> sink) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: > 0)");
        }
        this.capacity = capacity;
        this.sink = requireNonNull(sink, "sink");
    }

    /** Appends one line (newlines in {@code message} are replaced by spaces). */
    public void log(String message) {
        String line = Instant.now() + " " + requireNonNull(message, "message").replace('\n', ' ').replace('\r', ' ');
        synchronized (lines) {
            if (lines.size() == capacity) {
                lines.removeFirst();
            }
            lines.addLast(line);
        }
        sink.accept(line);
        for (Consumer<String> s : subscribers) {
            try {
                s.accept(line);
            } catch (RuntimeException e) {
                subscribers.remove(s);
            }
        }
    }

    /** The last {@code n} lines, oldest first. */
    public List<String> tail(int n) {
        synchronized (lines) {
            return lines.stream().skip(Math.max(0, lines.size() - n)).toList();
        }
    }

    /** Calls {@code subscriber} with every line from now on; close the result to stop. */
    public AutoCloseable subscribe(Consumer<String> subscriber) {
        requireNonNull(subscriber, "subscriber");
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }
}
