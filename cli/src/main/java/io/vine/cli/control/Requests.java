package io.vine.cli.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Reading control API requests: query parameters and bounded JSON bodies, with clear errors. */
final class Requests {
    private Requests() {}

    static int intParam(Map<String, String> q, String name, int fallback, int min, int max) {
        String v = q.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(name + ": '" + v + "' (expected: " + min + " to " + max + ")");
    }

    static JsonNode body(HttpExchange ex) throws IOException {
        byte[] bytes;
        try (InputStream in = ex.getRequestBody()) {
            bytes = in.readNBytes(ControlServer.MAX_BODY + 1);
        }
        if (bytes.length > ControlServer.MAX_BODY) {
            throw new BadRequest(413, "body larger than " + ControlServer.MAX_BODY + " bytes");
        }
        JsonNode node;
        try {
            node = NodeView.JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new BadRequest(400, "malformed JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new BadRequest(400, "body: expected a JSON object");
        }
        return node;
    }

    static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException(field + ": " + (v == null ? "missing" : v) + " (expected: a string)");
        }
        return v.asText();
    }

    static Map<String, String> query(String raw) {
        Map<String, String> m = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                m.put(k, eq < 0 ? "true" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return m;
    }
}
