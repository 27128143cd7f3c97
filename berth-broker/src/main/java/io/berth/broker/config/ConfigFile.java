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
 * Reads {@code berth.yml}: flat keys named like the command-line options. Unknown keys and values of the
 * wrong type are errors that name the file and the key.
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
        switch (key) {
          case "bind" -> b.bind(text(v));
          case "port" -> b.port(integer(v));
          case "data" -> b.dataDir(Path.of(text(v)));
          case "durability" -> b.durability(Durability.parse(text(v)));
          case "max-packet-size" -> b.maxPacketSize(integer(v));
          case "receive-maximum" -> b.receiveMaximum(integer(v));
          case "max-inflight" -> b.maxInflight(integer(v));
          case "topic-alias-maximum" -> b.topicAliasMaximum(integer(v));
          case "max-session-expiry" -> b.maxSessionExpirySeconds(number(v));
          case "persistent-session-expiry" -> b.persistentSessionExpirySeconds(number(v));
          case "max-keep-alive" -> b.maxKeepAliveSeconds(integer(v));
          case "connect-timeout" -> b.connectTimeoutSeconds(integer(v));
          case "queue-qos0-offline" -> b.queueQos0Offline(bool(v));
          case "shards" -> b.shards(integer(v));
          default -> {
            if (!SecurityKeys.apply(b, key, v)) {
              throw new IllegalArgumentException("unknown option");
            }
          }
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + ": " + key + ": " + e.getMessage());
      }
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage());
    }
  }

  static String text(JsonNode v) {
    if (!v.isTextual() && !v.isNumber()) {
      throw new IllegalArgumentException("expected text, found " + v.getNodeType());
    }
    return v.asText();
  }

  static int integer(JsonNode v) {
    if (!v.isInt()) {
      throw new IllegalArgumentException("expected a whole number, found '" + v.asText() + "'");
    }
    return v.intValue();
  }

  static long number(JsonNode v) {
    if (!v.isIntegralNumber()) {
      throw new IllegalArgumentException("expected a whole number, found '" + v.asText() + "'");
    }
    return v.longValue();
  }

  static boolean bool(JsonNode v) {
    if (!v.isBoolean()) {
      throw new IllegalArgumentException("expected true or false, found '" + v.asText() + "'");
    }
    return v.booleanValue();
  }
}
