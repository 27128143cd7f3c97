package io.berth.broker.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * Reads {@code berth.yml}: keys named like the command-line options, plus the nested {@code limits:}
 * section (see {@link LimitsSection}). Unknown keys and values of the wrong type are errors that name
 * the file and the key.
 */
public final class ConfigFile {
    private ConfigFile() {}

    public static BrokerConfig read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read config file " + file + ": " + e.getMessage());
        }
        BrokerConfig.Builder b = BrokerConfig.builder();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return b.build();
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException(file + ": expected a mapping of option names to values");
        }
        Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            String key = f.getKey();
            JsonNode v = f.getValue();
            try {
                apply(b, key, v);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException(file + ": " + key + ": too large");
            } catch (IllegalArgumentException e) {
                String message = String.valueOf(e.getMessage());
                // the limits section names its own keys as a path that starts with "limits"
                throw new IllegalArgumentException(file + ": " + (message.startsWith(key) ? "" : key + ": ") + message);
            }
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage());
        }
    }

    private static void apply(BrokerConfig.Builder b, String key, JsonNode v) {
        switch (key) {
            case "bind" -> b.bind(ConfigValues.text(v));
            case "port" -> b.port(ConfigValues.integer(v));
            case "data" -> b.dataDir(Path.of(ConfigValues.text(v)));
            case "durability" -> b.durability(Durability.parse(ConfigValues.text(v)));
            case "max-packet-size" -> b.maxPacketSize(Math.toIntExact(ConfigValues.bytes(v)));
            case "receive-maximum" -> b.receiveMaximum(ConfigValues.integer(v));
            case "max-inflight" -> b.maxInflight(ConfigValues.integer(v));
            case "topic-alias-maximum" -> b.topicAliasMaximum(ConfigValues.integer(v));
            case "max-session-expiry" -> b.maxSessionExpirySeconds(ConfigValues.seconds(v));
            case "persistent-session-expiry" -> b.persistentSessionExpirySeconds(ConfigValues.seconds(v));
            case "max-keep-alive" -> b.maxKeepAliveSeconds(ConfigValues.integer(v));
            case "connect-timeout" -> b.connectTimeoutSeconds(ConfigValues.integer(v));
            case "queue-qos0-offline" -> b.queueQos0Offline(ConfigValues.bool(v));
            case "shards" -> b.shards(ConfigValues.integer(v));
            case "limits" -> b.limits(LimitsSection.read(v));
            case "admin-bind" -> b.adminBind(ConfigValues.text(v));
            case "admin-port" -> b.adminPort(ConfigValues.integer(v));
            case "admin-token" -> b.adminToken(ConfigValues.text(v));
            case "admin-token-file" -> b.adminTokenFile(ConfigValues.text(v));
            default -> {
                if (!SecurityKeys.apply(b, key, v)) {
                    throw new IllegalArgumentException("unknown option");
                }
            }
        }
    }
}
