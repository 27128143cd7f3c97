package io.berth.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.codec.ConnackPacket;
import io.berth.codec.DisconnectPacket;
import io.berth.codec.MqttPacket;
import io.berth.codec.MqttProperties;
import io.berth.codec.MqttVersion;
import io.berth.codec.PubackPacket;
import io.berth.codec.PubcompPacket;
import io.berth.codec.PublishPacket;
import io.berth.codec.PubrecPacket;
import io.berth.codec.PubrelPacket;
import io.berth.codec.QoS;
import io.berth.codec.ReasonCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Persistent sessions over raw sockets, for 3.1.1 and 5.0. */
class PersistentSessionTest {
  private final TestBroker broker = new TestBroker();

  @AfterEach
  void stop() {
    broker.close();
  }

  private static MqttProperties persistent(MqttVersion v) {
    return v.isV5() ? MqttProperties.builder().sessionExpiryInterval(3600L).build() : MqttProperties.EMPTY;
  }

  private RawClient connect(MqttVersion v, String id, boolean clean) throws Exception {
    return RawClient.connected(broker.port(), v, id, clean, persistent(v));
  }

  private void publish(String topic, QoS qos, int count) throws Exception {
    try (RawClient pub = connect(MqttVersion.V5, "pub-" + topic + qos, true)) {
      for (int i = 0; i < count; i++) {
        int id = qos == QoS.AT_MOST_ONCE ? 0 : i + 1;
        pub.publish(topic, qos, id, "m" + i);
        if (qos == QoS.AT_LEAST_ONCE) {
          pub.expect(PubackPacket.class);
        } else if (qos == QoS.EXACTLY_ONCE) {
          pub.expect(PubrecPacket.class);
          pub.send(PubrelPacket.of(id));
          pub.expect(PubcompPacket.class);
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
  void offlineQueue_deliveredInOrderOnReconnect_withSessionPresent(MqttVersion v) throws Exception {
    // [MQTT-3.1.2-4] [MQTT-3.1.2-5] the session and its subscriptions survive the disconnect
    try (RawClient sub = connect(v, "dev-1", false)) {
      assertThat(sub.subscribe(1, "fleet/#", QoS.EXACTLY_ONCE).reasonCodes())
          .containsExactly(ReasonCode.GRANTED_QOS_2);
      sub.send(DisconnectPacket.NORMAL);
    }
    try (RawClient pub = connect(MqttVersion.V5, "pub-fleet", true)) {
      // QoS 0 first, on the same connection: once the QoS 1 acks come, the QoS 0 ones were routed
      for (int i = 0; i < 3; i++) {
        pub.publish("fleet/c", QoS.AT_MOST_ONCE, 0, "m" + i); // not queued for an offline client
      }
      for (int i = 0; i < 5; i++) {
        pub.publish("fleet/a", QoS.AT_LEAST_ONCE, i + 1, "m" + i);
        pub.expect(PubackPacket.class);
      }
      for (int i = 0; i < 5; i++) {
        pub.publish("fleet/b", QoS.EXACTLY_ONCE, i + 1, "m" + i);
        pub.expect(PubrecPacket.class);
        pub.send(PubrelPacket.of(i + 1));
        pub.expect(PubcompPacket.class);
      }
    }
    try (RawClient sub = RawClient.open(broker.port(), v)) {
      ConnackPacket ack = sub.connect("dev-1", false, persistent(v), null);
      // [MQTT-3.2.2-2] Session Present = 1 when a session is resumed
      assertThat(ack.sessionPresent()).isTrue();
      List<String> got = new ArrayList<>();
      int released = 0;
      while (got.size() < 10 || released < 5) {
        MqttPacket m = sub.receive();
        if (m instanceof PubrelPacket rel) {
          sub.send(PubcompPacket.of(rel.packetId()));
          released++;
          continue;
        }
        PublishPacket p = (PublishPacket) m;
        got.add(p.topic() + ":" + new String(p.payload()) + ":" + p.qos());
        assertThat(p.dup()).isFalse();
        sub.send(p.qos() == QoS.AT_LEAST_ONCE ? PubackPacket.of(p.packetId()) : PubrecPacket.of(p.packetId()));
      }
      assertThat(got).containsExactly(
          "fleet/a:m0:AT_LEAST_ONCE", "fleet/a:m1:AT_LEAST_ONCE", "fleet/a:m2:AT_LEAST_ONCE",
          "fleet/a:m3:AT_LEAST_ONCE", "fleet/a:m4:AT_LEAST_ONCE",
          "fleet/b:m0:EXACTLY_ONCE", "fleet/b:m1:EXACTLY_ONCE", "fleet/b:m2:EXACTLY_ONCE",
          "fleet/b:m3:EXACTLY_ONCE", "fleet/b:m4:EXACTLY_ONCE");
      sub.expectNothing(Duration.ofMillis(300));
    }
  }

  @ParameterizedTest
  @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
  void sessionWithoutSubscriptions_isKept(MqttVersion v) throws Exception {
    try (RawClient c = connect(v, "bare", false)) {
      c.send(DisconnectPacket.NORMAL);
    }
    try (RawClient c = RawClient.open(broker.port(), v)) {
      assertThat(c.connect("bare", false, persistent(v), null).sessionPresent()).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
  void cleanStart_discardsTheSession(MqttVersion v) throws Exception {
    try (RawClient c = connect(v, "cleaner", false)) {
      c.subscribe(1, "t", QoS.AT_LEAST_ONCE);
      c.send(DisconnectPacket.NORMAL);
    }
    publish("t", QoS.AT_LEAST_ONCE, 1);
    try (RawClient c = RawClient.open(broker.port(), v)) {
      // [MQTT-3.1.2-4] [MQTT-3.2.2-1] Clean Start: the session is new, Session Present = 0
      assertThat(c.connect("cleaner", true, persistent(v), null).sessionPresent()).isFalse();
      c.expectNothing(Duration.ofMillis(300));
    }
  }

  @ParameterizedTest
  @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
  void unacknowledgedQos1_isResentWithDupAndSamePacketId(MqttVersion v) throws Exception {
    int firstId;
    try (RawClient sub = connect(v, "slow", false)) {
      sub.subscribe(1, "q1", QoS.AT_LEAST_ONCE);
      publish("q1", QoS.AT_LEAST_ONCE, 2);
      PublishPacket a = sub.expect(PublishPacket.class);
      PublishPacket b = sub.expect(PublishPacket.class);
      firstId = a.packetId();
      sub.send(PubackPacket.of(b.packetId())); // only the second is acknowledged
    } // dropped without DISCONNECT
    try (RawClient sub = RawClient.open(broker.port(), v)) {
      assertThat(sub.connect("slow", false, persistent(v), null).sessionPresent()).isTrue();
      // [MQTT-4.4.0-1] resent with DUP = 1 [MQTT-3.3.1-1] and the same packet identifier
      PublishPacket again = sub.expect(PublishPacket.class);
      assertThat(again.dup()).isTrue();
      assertThat(again.packetId()).isEqualTo(firstId);
      assertThat(new String(again.payload())).isEqualTo("m0");
      sub.send(PubackPacket.of(again.packetId()));
      sub.expectNothing(Duration.ofMillis(300));
    }
  }

  @ParameterizedTest
  @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
  void qos2_afterPubrec_pubrelIsResentOnReconnect_notThePublish(MqttVersion v) throws Exception {
    int id;
    try (RawClient sub = connect(v, "q2sub", false)) {
      sub.subscribe(1, "q2", QoS.EXACTLY_ONCE);
      publish("q2", QoS.EXACTLY_ONCE, 1);
      PublishPacket p = sub.expect(PublishPacket.class);
      id = p.packetId();
      sub.send(PubrecPacket.of(id));
      sub.expect(PubrelPacket.class);
    } // PUBCOMP never sent
    try (RawClient sub = RawClient.open(broker.port(), v)) {
      sub.connect("q2sub", false, persistent(v), null);
      // [MQTT-4.4.0-1] PUBREL is resent; the message is not sent again
      assertThat(sub.expect(PubrelPacket.class).packetId()).isEqualTo(id);
      sub.send(PubcompPacket.of(id));
      sub.expectNothing(Duration.ofMillis(300));
    }
  }

  @ParameterizedTest
  @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
  void inboundQos2_resentPublish_isDeliveredOnce(MqttVersion v) throws Exception {
    try (RawClient sub = connect(MqttVersion.V5, "once-sub", true)) {
      sub.subscribe(1, "once", QoS.EXACTLY_ONCE);
      try (RawClient pub = connect(v, "once-pub", false)) {
        pub.publish("once", QoS.EXACTLY_ONCE, 7, "x");
        pub.expect(PubrecPacket.class);
      }
      try (RawClient pub = connect(v, "once-pub", false)) {
        // [MQTT-4.3.3-9] the resent PUBLISH (DUP) with the same id is acknowledged, not delivered again
        pub.send(new PublishPacket("once", QoS.EXACTLY_ONCE, false, true, 7, "x".getBytes(), MqttProperties.EMPTY));
        assertThat(pub.expect(PubrecPacket.class).packetId()).isEqualTo(7);
        pub.send(PubrelPacket.of(7));
        assertThat(pub.expect(PubcompPacket.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
      }
      PublishPacket p = sub.expect(PublishPacket.class);
      sub.send(PubrecPacket.of(p.packetId()));
      sub.expect(PubrelPacket.class);
      sub.send(PubcompPacket.of(p.packetId()));
      sub.expectNothing(Duration.ofMillis(300));
    }
  }

  @Test
  void receiveMaximum_limitsMessagesInFlight() throws Exception {
    MqttProperties props = MqttProperties.builder().sessionExpiryInterval(60L).receiveMaximum(2).build();
    try (RawClient sub = RawClient.connected(broker.port(), MqttVersion.V5, "rm", false, props)) {
      sub.subscribe(1, "rm", QoS.AT_LEAST_ONCE);
      publish("rm", QoS.AT_LEAST_ONCE, 5);
      // [MQTT-3.3.4-9] no more than Receive Maximum unacknowledged QoS 1/2 PUBLISH
      PublishPacket a = sub.expect(PublishPacket.class);
      PublishPacket b = sub.expect(PublishPacket.class);
      sub.expectNothing(Duration.ofMillis(300));
      sub.send(PubackPacket.of(a.packetId()));
      assertThat(new String(sub.expect(PublishPacket.class).payload())).isEqualTo("m2");
      sub.expectNothing(Duration.ofMillis(200));
      sub.send(PubackPacket.of(b.packetId()));
      assertThat(new String(sub.expect(PublishPacket.class).payload())).isEqualTo("m3");
    }
  }

  @Test
  void takeover_closesTheFirstConnectionWith0x8E_andKeepsInflight() throws Exception {
    RawClient first = connect(MqttVersion.V5, "twin", false);
    first.subscribe(1, "tw", QoS.AT_LEAST_ONCE);
    publish("tw", QoS.AT_LEAST_ONCE, 1);
    PublishPacket p = first.expect(PublishPacket.class);
    try (RawClient second = RawClient.open(broker.port(), MqttVersion.V5)) {
      assertThat(second.connect("twin", false, persistent(MqttVersion.V5), null).sessionPresent()).isTrue();
      // [MQTT-3.1.4-3] the existing connection is closed, with DISCONNECT 0x8E on 5.0
      DisconnectPacket d = first.expect(DisconnectPacket.class);
      assertThat(d.reasonCode()).isEqualTo(ReasonCode.SESSION_TAKEN_OVER);
      assertThat(first.awaitClosed(Duration.ofSeconds(5))).isTrue();
      PublishPacket again = second.expect(PublishPacket.class);
      assertThat(again.dup()).isTrue();
      assertThat(again.packetId()).isEqualTo(p.packetId());
    } finally {
      first.close();
    }
  }

  @Test
  void sessionExpiryZero_endsTheSessionAtDisconnect() throws Exception {
    try (RawClient c = RawClient.connected(broker.port(), MqttVersion.V5, "brief", false, MqttProperties.EMPTY)) {
      c.subscribe(1, "b", QoS.AT_LEAST_ONCE);
    }
    try (RawClient c = RawClient.open(broker.port(), MqttVersion.V5)) {
      assertThat(c.connect("brief", false, MqttProperties.EMPTY, null).sessionPresent()).isFalse();
    }
  }

  @Test
  void sessionExpires_afterItsInterval() throws Exception {
    MqttProperties oneSecond = MqttProperties.builder().sessionExpiryInterval(1L).build();
    try (RawClient c = RawClient.connected(broker.port(), MqttVersion.V5, "short", false, oneSecond)) {
      c.send(DisconnectPacket.NORMAL);
    }
    Thread.onSpinWait();
    org.awaitility.Awaitility.await().pollDelay(Duration.ofMillis(1200)).atMost(Duration.ofSeconds(5)).until(() -> true);
    try (RawClient c = RawClient.open(broker.port(), MqttVersion.V5)) {
      assertThat(c.connect("short", false, oneSecond, null).sessionPresent()).isFalse();
    }
  }

  @Test
  void disconnectSettingExpiryAfterZero_isAProtocolError() throws Exception {
    try (RawClient c = RawClient.connected(broker.port(), MqttVersion.V5, "zero", false, MqttProperties.EMPTY)) {
      // [MQTT-3.14.2-2]
      c.send(new DisconnectPacket(ReasonCode.SUCCESS,
          MqttProperties.builder().sessionExpiryInterval(100L).build()));
      assertThat(c.expect(DisconnectPacket.class).reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
    }
  }

  @Test
  void disconnectChangesExpiry_toZero_endsTheSession() throws Exception {
    try (RawClient c = connect(MqttVersion.V5, "shorten", false)) {
      c.send(new DisconnectPacket(ReasonCode.SUCCESS, MqttProperties.builder().sessionExpiryInterval(0L).build()));
    }
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      try (RawClient c = RawClient.open(broker.port(), MqttVersion.V5)) {
        assertThat(c.connect("shorten", false, persistent(MqttVersion.V5), null).sessionPresent()).isFalse();
      }
    });
  }

  @Test
  void emptyClientId_v311_needsCleanSession() throws Exception {
    try (RawClient c = RawClient.open(broker.port(), MqttVersion.V3_1_1)) {
      // [MQTT-3.1.3-8] CONNACK 0x02 Identifier rejected, then close
      assertThat(c.connect("", false, MqttProperties.EMPTY, null).reasonCode())
          .isEqualTo(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID);
      assertThat(c.awaitClosed(Duration.ofSeconds(5))).isTrue();
    }
    try (RawClient c = RawClient.open(broker.port(), MqttVersion.V3_1_1)) {
      // [MQTT-3.1.3-6] with cleanSession=1 the server assigns an id
      assertThat(c.connect("", true, MqttProperties.EMPTY, null).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
    }
  }

  @Test
  void emptyClientId_v5_getsAnAssignedId() throws Exception {
    try (RawClient c = RawClient.open(broker.port(), MqttVersion.V5)) {
      ConnackPacket ack = c.connect("", false, persistent(MqttVersion.V5), null);
      // [MQTT-3.2.2-16] the assigned id is returned
      assertThat(ack.properties().assignedClientIdentifier()).isNotBlank();
    }
  }

  @Test
  void restart_keepsSessionsInTheStore() throws Exception {
    try (RawClient sub = connect(MqttVersion.V3_1_1, "survivor", false)) {
      sub.subscribe(1, "r/#", QoS.AT_LEAST_ONCE);
    }
    publish("r/1", QoS.AT_LEAST_ONCE, 3);
    broker.restart();
    try (RawClient sub = RawClient.open(broker.port(), MqttVersion.V3_1_1)) {
      assertThat(sub.connect("survivor", false, MqttProperties.EMPTY, null).sessionPresent()).isTrue();
      for (int i = 0; i < 3; i++) {
        PublishPacket p = sub.expect(PublishPacket.class);
        assertThat(new String(p.payload())).isEqualTo("m" + i);
        sub.send(PubackPacket.of(p.packetId()));
      }
    }
  }
}
