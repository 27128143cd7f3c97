package io.berth.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {
  @TempDir Path dir;

  private BrokerConfig read(String yaml) throws Exception {
    Path f = dir.resolve("berth.yml");
    Files.writeString(f, yaml);
    return ConfigFile.read(f);
  }

  @Test
  void limitsSection_defaultsAndRules_rulesInheritWhatTheyDoNotName() throws Exception {
    BrokerConfig c = read("""
        admin-bind: 0.0.0.0
        admin-port: 9090
        admin-token: t0k
        persistent-session-expiry: 7d
        limits:
          queued-bytes-budget: 2GiB
          default:
            max-queued-messages: 5000
            max-queued-bytes: 64MiB
            max-message-age: 12h
            overflow: drop-new
            watermark: 75%
          clients:
            - client-id: "sensor-*"
              max-queued-messages: 100
              overflow: reject
            - username: backup
              overflow: disconnect
        """);
    assertThat(c.adminBind()).isEqualTo("0.0.0.0");
    assertThat(c.adminPort()).isEqualTo(9090);
    assertThat(c.adminToken()).isEqualTo("t0k");
    assertThat(c.persistentSessionExpirySeconds()).isEqualTo(7 * 86_400);
    Limits l = c.limits();
    assertThat(l.queuedBytesBudget()).isEqualTo(2L << 30);
    QueueLimits d = new QueueLimits(5000, 64L << 20, 12 * 3600, OverflowPolicy.DROP_NEW, 75);
    assertThat(l.defaults()).isEqualTo(d);
    assertThat(l.rules()).isEqualTo(List.of(
        new LimitRule("sensor-*", null, new QueueLimits(100, 64L << 20, 12 * 3600, OverflowPolicy.REJECT, 75)),
        new LimitRule(null, "backup", new QueueLimits(5000, 64L << 20, 12 * 3600, OverflowPolicy.DISCONNECT, 75))));
    assertThat(l.of("sensor-9", "")).isEqualTo(l.rules().get(0).limits());
    assertThat(l.of("other", "backup")).isEqualTo(l.rules().get(1).limits());
    assertThat(l.of("other", "")).isEqualTo(d);
  }

  @Test
  void noLimitsSection_givesTheDefaults() throws Exception {
    BrokerConfig c = read("port: 1884\n");
    assertThat(c.limits()).isEqualTo(Limits.DEFAULT);
    assertThat(c.adminPort()).isEqualTo(8088);
    assertThat(c.adminBind()).isEqualTo("127.0.0.1");
    assertThat(c.adminToken()).isEmpty();
  }

  @Test
  void errors_nameTheFileAndTheKey() {
    assertError("limits:\n  default:\n    overflow: explode\n", "limits.default.overflow", "drop-oldest");
    assertError("limits:\n  clients:\n    - max-queued-messages: 3\n", "limits.clients[0]", "exactly one of");
    assertError("limits:\n  clients:\n    - client-id: a\n      max-queued-bytes: lots\n",
        "limits.clients[0].max-queued-bytes", "256MiB");
    assertError("limits:\n  default:\n    max-queued-messages: 0\n", "limits.default", "at least 1");
    assertError("limits:\n  default:\n    watermark: 120\n", "limits.default", "1..100");
    assertError("limits:\n  colour: red\n", "limits.colour", "unknown option");
    assertError("limits:\n  default:\n    client-id: x\n", "limits.default.client-id", "only a rule");
    assertError("admin-port: 70000\n", "admin-port", "-1..65535");
    assertError("admin-port: http\n", "admin-port", "whole number");
    assertError("limits: 5\n", "limits", "expected a mapping");
  }

  private void assertError(String yaml, String key, String problem) {
    assertThatThrownBy(() -> read(yaml)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("berth.yml: ").hasMessageContaining(key).hasMessageContaining(problem);
  }
}
