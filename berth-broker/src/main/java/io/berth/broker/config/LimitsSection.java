package io.berth.broker.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads the {@code limits:} section of {@code berth.yml}:
 *
 * <pre>
 * limits:
 *   queued-bytes-budget: 8GiB
 *   default: { max-queued-messages: 100000, max-queued-bytes: 256MiB, max-message-age: 0,
 *              overflow: drop-oldest, watermark: 80 }
 *   clients:
 *     - { client-id: "sensor-*", max-queued-messages: 1000, overflow: reject }
 *     - { username: backup, max-message-age: 7d }
 *   retained: { max-messages: 100000, max-bytes: 256MiB, max-messages-per-client: 10000,
 *               max-bytes-per-client: 64MiB }
 * </pre>
 *
 * A client rule takes every limit it does not name from {@code default}. Errors name the key as a path
 * ({@code limits.clients[1].overflow}).
 */
final class LimitsSection {
    private LimitsSection() {}

    static Limits read(JsonNode node) {
        requireObject(node, "limits");
        QueueLimits defaults = QueueLimits.DEFAULT;
        long budget = Limits.DEFAULT.queuedBytesBudget();
        RetainedLimits retained = RetainedLimits.DEFAULT;
        JsonNode d = node.get("default");
        if (d != null) {
            defaults =
                    queueLimits(d, QueueLimits.DEFAULT, "limits.default", false).limits();
        }
        List<LimitRule> rules = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            String key = "limits." + f.getKey();
            switch (f.getKey()) {
                case "default" -> {}
                case "queued-bytes-budget" -> budget = at(key, () -> ConfigValues.bytes(f.getValue()));
                case "retained" -> retained = retainedLimits(f.getValue(), key);
                case "clients" -> {
                    JsonNode list = f.getValue();
                    if (!list.isArray()) {
                        throw new IllegalArgumentException(key + ": expected a list of rules");
                    }
                    for (int i = 0; i < list.size(); i++) {
                        rules.add(queueLimits(list.get(i), defaults, key + "[" + i + "]", true)
                                .rule());
                    }
                }
                default -> throw new IllegalArgumentException(key + ": unknown option");
            }
        }
        long b = budget;
        QueueLimits dl = defaults;
        RetainedLimits r = retained;
        return at("limits", () -> new Limits(dl, rules, b, r));
    }

    private static RetainedLimits retainedLimits(JsonNode node, String path) {
        requireObject(node, path);
        RetainedLimits d = RetainedLimits.DEFAULT;
        long[] v = {d.maxMessages(), d.maxBytes(), d.maxMessagesPerClient(), d.maxBytesPerClient()};
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            String key = path + "." + f.getKey();
            switch (f.getKey()) {
                case "max-messages" -> v[0] = at(key, () -> ConfigValues.number(f.getValue()));
                case "max-bytes" -> v[1] = at(key, () -> ConfigValues.bytes(f.getValue()));
                case "max-messages-per-client" -> v[2] = at(key, () -> ConfigValues.number(f.getValue()));
                case "max-bytes-per-client" -> v[3] = at(key, () -> ConfigValues.bytes(f.getValue()));
                default -> throw new IllegalArgumentException(key + ": unknown option");
            }
        }
        return at(path, () -> new RetainedLimits(v[0], v[1], v[2], v[3]));
    }

    private record Parsed(
            QueueLimits limits,
            @Nullable String clientId,
            @Nullable String username) {
        LimitRule rule() {
            return new LimitRule(clientId, username, limits);
        }
    }

    private static Parsed queueLimits(JsonNode node, QueueLimits base, String path, boolean rule) {
        requireObject(node, path);
        long maxMessages = base.maxMessages();
        long maxBytes = base.maxBytes();
        long maxAge = base.maxAgeSeconds();
        OverflowPolicy overflow = base.overflow();
        int watermark = base.watermarkPercent();
        String clientId = null;
        String username = null;
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            String key = path + "." + f.getKey();
            JsonNode v = f.getValue();
            switch (f.getKey()) {
                case "max-queued-messages" -> maxMessages = at(key, () -> ConfigValues.number(v));
                case "max-queued-bytes" -> maxBytes = at(key, () -> ConfigValues.bytes(v));
                case "max-message-age" -> maxAge = at(key, () -> ConfigValues.seconds(v));
                case "overflow" -> overflow = at(key, () -> OverflowPolicy.parse(ConfigValues.text(v)));
                case "watermark" -> watermark = at(key, () -> ConfigValues.percent(v));
                case "client-id" -> {
                    if (!rule) {
                        throw new IllegalArgumentException(
                                key + ": only a rule under limits.clients matches a client id");
                    }
                    clientId = at(key, () -> ConfigValues.text(v));
                }
                case "username" -> {
                    if (!rule) {
                        throw new IllegalArgumentException(
                                key + ": only a rule under limits.clients matches a username");
                    }
                    username = at(key, () -> ConfigValues.text(v));
                }
                default -> throw new IllegalArgumentException(key + ": unknown option");
            }
        }
        if (rule && (clientId == null) == (username == null)) {
            throw new IllegalArgumentException(path + ": a rule needs exactly one of client-id or username");
        }
        long mm = maxMessages;
        long mb = maxBytes;
        long ma = maxAge;
        OverflowPolicy o = overflow;
        int w = watermark;
        return new Parsed(at(path, () -> new QueueLimits(mm, mb, ma, o, w)), clientId, username);
    }

    private static void requireObject(JsonNode node, String path) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(path + ": expected a mapping, found " + node.getNodeType());
        }
    }

    /** Runs {@code read}, prefixing any error with the key it concerns. */
    private static <T> T at(String key, java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(key + ": too large", e);
        }
    }
}
