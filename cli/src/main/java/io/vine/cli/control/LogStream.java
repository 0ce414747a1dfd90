package io.vine.cli.control;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /p2p/logs?follow=true}: the last lines, then every new line as it is logged, as chunked
 * text, until the client goes away or the server stops. A follower that reads too slowly loses lines
 * (at most {@link LogBuffer#DEFAULT_CAPACITY} wait for it), the node never blocks on it.
 */
final class LogStream {
    private LogStream() {}

    static void follow(HttpExchange ex, LogBuffer logs, int lines, BooleanSupplier closing) throws IOException {
        LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>(LogBuffer.DEFAULT_CAPACITY);
        AutoCloseable sub = logs.subscribe(queue::offer);
        try {
            ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            for (String line : logs.tail(lines)) {
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
            out.flush();
            while (!closing.getAsBoolean()) {
                String line = queue.poll(500, TimeUnit.MILLISECONDS);
                if (line != null) {
                    out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            }
        } catch (IOException | InterruptedException clientGone) {
            // the follower disconnected or the server stops
        } finally {
            try {
                sub.close();
            } catch (Exception ignored) {
                // removing a subscriber does not fail
            }
        }
    }
}
