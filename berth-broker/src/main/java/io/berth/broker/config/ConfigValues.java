package io.berth.broker.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed values of {@code berth.yml}: text, whole numbers, byte sizes ({@code 1048576}, {@code 256MiB},
 * {@code 8GiB}), durations in seconds ({@code 3600}, {@code 90s}, {@code 30m}, {@code 12h}, {@code 7d})
 * and percentages.
 */
final class ConfigValues {
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB|TiB|KB|MB|GB|TB)?");
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(s|m|h|d)?");

  private ConfigValues() {}

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

  static int percent(JsonNode v) {
    String t = v.asText().trim();
    if (v.isTextual() && t.endsWith("%")) {
      t = t.substring(0, t.length() - 1).trim();
    } else if (!v.isIntegralNumber()) {
      throw new IllegalArgumentException("expected a percentage like 80 or '80%', found '" + v.asText() + "'");
    }
    try {
      return Integer.parseInt(t);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected a percentage like 80 or '80%', found '" + v.asText() + "'");
    }
  }

  /** Bytes as a whole number or with a unit: B, KiB, MiB, GiB, TiB (1024) or KB, MB, GB, TB (1000). */
  static long bytes(JsonNode v) {
    if (v.isIntegralNumber()) {
      return v.longValue();
    }
    Matcher m = v.isTextual() ? SIZE.matcher(v.asText().trim()) : null;
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException("expected a size like 1048576, 256MiB or 8GiB, found '" + v.asText() + "'");
    }
    long unit = switch (m.group(2) == null ? "B" : m.group(2)) {
      case "KiB" -> 1L << 10;
      case "MiB" -> 1L << 20;
      case "GiB" -> 1L << 30;
      case "TiB" -> 1L << 40;
      case "KB" -> 1_000L;
      case "MB" -> 1_000_000L;
      case "GB" -> 1_000_000_000L;
      case "TB" -> 1_000_000_000_000L;
      default -> 1L;
    };
    return Math.multiplyExact(Long.parseLong(m.group(1)), unit);
  }

  /** Seconds as a whole number or with a unit: s, m, h, d. */
  static long seconds(JsonNode v) {
    if (v.isIntegralNumber()) {
      return v.longValue();
    }
    Matcher m = v.isTextual() ? DURATION.matcher(v.asText().trim().toLowerCase(Locale.ROOT)) : null;
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException("expected seconds like 3600, 90s, 30m, 12h or 7d, found '" + v.asText() + "'");
    }
    long unit = switch (m.group(2) == null ? "s" : m.group(2)) {
      case "m" -> 60;
      case "h" -> 3600;
      case "d" -> 86_400;
      default -> 1;
    };
    return Math.multiplyExact(Long.parseLong(m.group(1)), unit);
  }
}
