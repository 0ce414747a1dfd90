package io.vine.cli.control;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.vine.core.VineException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;

/** A client of the {@link ControlServer}: one bearer token, JSON in and out, errors as {@link VineException}. */
public final class ControlClient {
    private final URI base;
    private final String token;
    private final HttpClient http;
    private final Duration timeout;

    public ControlClient(InetSocketAddress address, String token, Duration timeout) {
        requireNonNull(address, "address");
        String host = address.getAddress().getHostAddress();
        this.base = URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort());
        this.token = requireNonNull(token, "token");
        this.timeout = requireNonNull(timeout, "timeout");
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    public JsonNode get(String pathAndQuery) {
        return send(request(pathAndQuery).GET().build());
    }

    public JsonNode post(String path, JsonNode body) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
    }

    /** {@code GET /metrics} as text. */
    public String metrics() {
        HttpResponse<String> r = exchange(request("/metrics").GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw failure(r.statusCode(), r.body());
        }
        return r.body();
    }

    /** Streams {@code GET /p2p/logs?follow=true} lines to {@code sink} until the server or the caller ends it. */
    public void follow(int lines, Consumer<String> sink) {
        HttpRequest req = HttpRequest.newBuilder(base.resolve("/p2p/logs?follow=true&lines=" + lines))
                .header("Authorization", "Bearer " + token).GET().build();
        HttpResponse<InputStream> r = exchange(req, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body(); BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            if (r.statusCode() != 200) {
                throw failure(r.statusCode(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            for (String line; (line = reader.readLine()) != null; ) {
                sink.accept(line);
            }
        } catch (IOException e) {
            throw new VineException("control API: log stream ended: " + e.getMessage(), e);
        }
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(timeout).header("Authorization", "Bearer " + token);
    }

    private JsonNode send(HttpRequest req) {
        HttpResponse<String> r = exchange(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw failure(r.statusCode(), r.body());
        }
        try {
            return NodeView.JSON.readTree(r.body());
        } catch (IOException e) {
            throw new VineException("control API: malformed response: " + e.getMessage(), e);
        }
    }

    private <T> HttpResponse<T> exchange(HttpRequest req, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(req, handler);
        } catch (ConnectException e) {
            throw new VineException("cannot reach the control API at " + base + " (is vine up running?)", e);
        } catch (java.net.http.HttpTimeoutException e) {
            throw new VineException("control API at " + base + ": timed out", e);
        } catch (IOException e) {
            throw new VineException("control API at " + base + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VineException("interrupted", e);
        }
    }

    private static VineException failure(int status, String body) {
        String message = body;
        try {
            JsonNode n = NodeView.JSON.readTree(body);
            if (n != null && n.hasNonNull("error")) {
                message = n.get("error").asText();
            }
        } catch (IOException ignored) {
            // not JSON: keep the body
        }
        return new VineException("control API: " + status + ": " + message);
    }
}
