package io.berth.broker.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.broker.session.Purge;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;

/**
 * The body of {@code POST /sessions/{id}/purge}: {@code {"all": true}}, or any of {@code "topic"} (a
 * topic filter), {@code "olderThan"} (an ISO-8601 instant, or a duration such as {@code "PT10M"} back
 * from now) and {@code "oldest"} (how many, oldest first), which must all hold for a message to go.
 */
final class PurgeBody {
    private PurgeBody() {}

    static Purge parse(byte[] body, long nowMillis) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(body);
        } catch (JsonProcessingException e) {
            throw AdminError.badRequest("the body is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw AdminError.badRequest("cannot read the body: " + e.getMessage());
        }
        if (root == null || !root.isObject() || root.isEmpty()) {
            throw AdminError.badRequest(
                    "say what to purge: {\"all\": true}, or any of \"topic\", \"olderThan\", \"oldest\"");
        }
        boolean all = false;
        String topic = null;
        long olderThan = 0;
        long oldest = 0;
        Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            JsonNode v = f.getValue();
            switch (f.getKey()) {
                case "all" -> {
                    if (!v.isBoolean() || !v.booleanValue()) {
                        throw AdminError.badRequest("all must be true");
                    }
                    all = true;
                }
                case "topic" -> {
                    if (!v.isTextual()) {
                        throw AdminError.badRequest("topic must be a topic filter in a string");
                    }
                    topic = v.textValue();
                }
                case "olderThan" -> olderThan = olderThan(v, nowMillis);
                case "oldest" -> {
                    if (!v.canConvertToLong() || !v.isIntegralNumber() || v.longValue() < 1) {
                        throw AdminError.badRequest("oldest must be a whole number of at least 1, not " + v);
                    }
                    oldest = v.longValue();
                }
                default ->
                    throw AdminError.badRequest(
                            "unknown field '" + f.getKey() + "'; known: all, topic, olderThan, oldest");
            }
        }
        if (all && root.size() > 1) {
            throw AdminError.badRequest("all cannot be combined with topic, olderThan or oldest");
        }
        try {
            return new Purge(topic, olderThan, oldest);
        } catch (IllegalArgumentException e) {
            throw AdminError.badRequest(String.valueOf(e.getMessage()));
        }
    }

    /** Wall-clock millis before which messages go: an instant, or now minus a duration. */
    private static long olderThan(JsonNode v, long nowMillis) {
        String text = v.isTextual() ? v.textValue().trim() : "";
        try {
            if (text.startsWith("P") || text.startsWith("p")) {
                Duration d = Duration.parse(text);
                if (d.isNegative() || d.isZero()) {
                    throw AdminError.badRequest("olderThan must be a positive duration, not " + text);
                }
                return Math.max(1, nowMillis - d.toMillis());
            }
            return Math.max(1, Instant.parse(text).toEpochMilli());
        } catch (DateTimeParseException | ArithmeticException e) {
            throw AdminError.badRequest("olderThan must be an ISO-8601 instant (2026-01-31T12:00:00Z) or duration "
                    + "(PT10M, P7D), not " + v);
        }
    }
}
