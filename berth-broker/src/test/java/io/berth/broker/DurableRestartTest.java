package io.berth.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.berth.broker.config.Durability;
import io.berth.codec.MqttPacket;
import io.berth.codec.MqttProperties;
import io.berth.codec.MqttVersion;
import io.berth.codec.PubackPacket;
import io.berth.codec.PubcompPacket;
import io.berth.codec.PublishPacket;
import io.berth.codec.PubrecPacket;
import io.berth.codec.PubrelPacket;
import io.berth.codec.QoS;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Stops and starts the broker on the same data folder with the durable store: offline queues, in-flight
 * QoS 1 and 2 in both directions and retained messages come back exactly as they were.
 */
class DurableRestartTest {
  @TempDir Path data;
  private Berth berth;

  private void start() {
    berth = Berth.builder().port(0).dataDir(data).durability(Durability.FSYNC).build().start();
  }

  private void restart() {
    berth.close();
    start();
  }

  @AfterEach
  void stop() {
    if (berth != null) {
      berth.close();
    }
  }

  private static MqttProperties persistent(MqttVersion v) {
    return v.isV5() ? MqttProperties.builder().sessionExpiryInterval(3600L).build() : MqttProperties.EMPTY;
  }

  private RawClient connect(MqttVersion v, String id) throws Exception {
    return RawClient.connected(berth.port(), v, id, false, persistent(v));
  }

  private static String text(PublishPacket p) {
    return p.topic() + ":" + new String(p.payload(), StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
  void restart_keepsQueuesInflightBothWaysAndRetained(MqttVersion v) throws Exception {
    start();
    int q1Id;
    int q2Id;
    try (RawClient sub = connect(v, "sub");
        RawClient pub = connect(v, "pub")) {
      sub.subscribe(1, "d/#", QoS.EXACTLY_ONCE);
      pub.publish("d/q1", QoS.AT_LEAST_ONCE, 1, "a");
      pub.expect(PubackPacket.class);
      pub.publish("d/q2", QoS.EXACTLY_ONCE, 2, "b");
      pub.expect(PubrecPacket.class);
      pub.send(PubrelPacket.of(2));
      pub.expect(PubcompPacket.class);
      PublishPacket a = sub.expect(PublishPacket.class); // never acknowledged
      q1Id = a.packetId();
      PublishPacket b = sub.expect(PublishPacket.class);
      q2Id = b.packetId();
      sub.send(PubrecPacket.of(q2Id)); // PUBCOMP never sent
      sub.expect(PubrelPacket.class);
      assertThat(List.of(text(a), text(b))).containsExactly("d/q1:a", "d/q2:b");
    }
    try (RawClient pub = connect(v, "pub")) {
      pub.publish("d/q1", QoS.AT_LEAST_ONCE, 3, "c"); // queued while "sub" is offline
      pub.expect(PubackPacket.class);
      pub.publish("d/q2", QoS.EXACTLY_ONCE, 4, "d");
      pub.expect(PubrecPacket.class);
      pub.send(PubrelPacket.of(4));
      pub.expect(PubcompPacket.class);
      pub.send(new PublishPacket("ret/x", QoS.AT_LEAST_ONCE, true, false, 5, "kept".getBytes(), MqttProperties.EMPTY));
      pub.expect(PubackPacket.class);
      pub.publish("d/in", QoS.EXACTLY_ONCE, 7, "e"); // inbound QoS 2: PUBREL not sent before the restart
      pub.expect(PubrecPacket.class);
    }

    restart();

    try (RawClient pub = RawClient.open(berth.port(), v)) {
      assertThat(pub.connect("pub", false, persistent(v), null).sessionPresent()).isTrue();
      // [MQTT-4.3.3-9] the resent PUBLISH is acknowledged but not delivered again
      pub.send(new PublishPacket("d/in", QoS.EXACTLY_ONCE, false, true, 7, "e".getBytes(), MqttProperties.EMPTY));
      assertThat(pub.expect(PubrecPacket.class).packetId()).isEqualTo(7);
      pub.send(PubrelPacket.of(7));
      assertThat(pub.expect(PubcompPacket.class).packetId()).isEqualTo(7);
    }
    try (RawClient sub = RawClient.open(berth.port(), v)) {
      assertThat(sub.connect("sub", false, persistent(v), null).sessionPresent()).isTrue();
      List<String> publishes = new ArrayList<>();
      List<Integer> released = new ArrayList<>();
      int qos2Received = 0;
      while (publishes.size() < 4 || released.size() < 1 + qos2Received) {
        MqttPacket m = sub.receive();
        if (m instanceof PubrelPacket rel) {
          released.add(rel.packetId());
          sub.send(PubcompPacket.of(rel.packetId()));
          continue;
        }
        PublishPacket p = (PublishPacket) m;
        if (text(p).equals("d/q1:a")) {
          // [MQTT-4.4.0-1] resent with DUP and its packet identifier
          assertThat(p.dup()).isTrue();
          assertThat(p.packetId()).isEqualTo(q1Id);
        } else {
          assertThat(p.dup()).isFalse();
        }
        publishes.add(text(p) + ":" + p.qos().value());
        if (p.qos() == QoS.AT_LEAST_ONCE) {
          sub.send(PubackPacket.of(p.packetId()));
        } else {
          qos2Received++;
          sub.send(PubrecPacket.of(p.packetId()));
        }
      }
      // [MQTT-4.4.0-1] the PUBREL of the QoS 2 message in flight is resent, the message itself is not
      assertThat(released).contains(q2Id);
      assertThat(publishes).containsExactly("d/q1:a:1", "d/q1:c:1", "d/q2:d:2", "d/in:e:2");
      sub.expectNothing(Duration.ofMillis(300));
    }
    try (RawClient late = RawClient.connected(berth.port(), v, "late", true, MqttProperties.EMPTY)) {
      late.subscribe(1, "ret/#", QoS.AT_LEAST_ONCE);
      PublishPacket r = late.expect(PublishPacket.class);
      assertThat(text(r)).isEqualTo("ret/x:kept");
      assertThat(r.retain()).isTrue();
    }

    restart(); // acknowledged deliveries stay acknowledged
    try (RawClient sub = RawClient.open(berth.port(), v)) {
      assertThat(sub.connect("sub", false, persistent(v), null).sessionPresent()).isTrue();
      sub.expectNothing(Duration.ofMillis(300));
    }
  }

  @Test
  void hivemqSubscriber_v5_getsEveryQueuedMessageOnceAfterRestart() throws Exception {
    start();
    Mqtt5BlockingClient sub = hivemq("hive-sub");
    sub.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
    sub.subscribeWith().topicFilter("h/#").qos(MqttQos.EXACTLY_ONCE).send();
    sub.disconnect();
    Mqtt5BlockingClient pub = hivemq("hive-pub");
    pub.connect();
    for (int i = 0; i < 50; i++) {
      pub.publishWith().topic("h/1").qos(MqttQos.AT_LEAST_ONCE).payload(("a" + i).getBytes()).send();
      pub.publishWith().topic("h/2").qos(MqttQos.EXACTLY_ONCE).payload(("b" + i).getBytes()).send();
    }
    pub.disconnect();

    restart();

    Mqtt5BlockingClient again = hivemq("hive-sub");
    List<String> got = new ArrayList<>();
    try (Mqtt5BlockingClient.Mqtt5Publishes publishes = again.publishes(MqttGlobalPublishFilter.ALL)) {
      assertThat(again.connectWith().cleanStart(false).sessionExpiryInterval(3600).send().isSessionPresent()).isTrue();
      for (Optional<Mqtt5Publish> p; (p = publishes.receive(2, TimeUnit.SECONDS)).isPresent(); ) {
        got.add(new String(p.get().getPayloadAsBytes(), StandardCharsets.UTF_8));
      }
    }
    again.disconnect();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      expected.add("a" + i);
      expected.add("b" + i);
    }
    assertInOrderPerTopic(got, expected);
  }

  /** Every message once, in publishing order within each topic ("a" and "b" prefixes). */
  private static void assertInOrderPerTopic(List<String> got, List<String> expected) {
    assertThat(got).containsExactlyInAnyOrderElementsOf(expected);
    for (String topic : List.of("a", "b")) {
      assertThat(got.stream().filter(s -> s.startsWith(topic)))
          .containsExactlyElementsOf(expected.stream().filter(s -> s.startsWith(topic)).toList());
    }
  }

  private Mqtt5BlockingClient hivemq(String id) {
    return MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1").serverPort(berth.port())
        .buildBlocking();
  }

  @Test
  void pahoSubscriber_v311_getsEveryQueuedMessageOnceAfterRestart() throws Exception {
    start();
    MqttConnectOptions persistent = new MqttConnectOptions();
    persistent.setCleanSession(false);
    org.eclipse.paho.client.mqttv3.MqttClient sub = paho("paho-sub");
    sub.connect(persistent);
    sub.subscribe("p/#", 2);
    sub.disconnect();
    sub.close();
    org.eclipse.paho.client.mqttv3.MqttClient pub = paho("paho-pub");
    pub.connect();
    for (int i = 0; i < 50; i++) {
      pub.publish("p/1", ("a" + i).getBytes(), 1, false);
      pub.publish("p/2", ("b" + i).getBytes(), 2, false);
    }
    pub.disconnect();
    pub.close();

    restart();

    List<String> got = new CopyOnWriteArrayList<>();
    org.eclipse.paho.client.mqttv3.MqttClient again = paho("paho-sub");
    again.setCallback(new MqttCallback() {
      @Override public void connectionLost(Throwable cause) {}
      @Override public void messageArrived(String topic, MqttMessage m) {
        got.add(new String(m.getPayload(), StandardCharsets.UTF_8));
      }
      @Override public void deliveryComplete(IMqttDeliveryToken token) {}
    });
    again.connect(persistent);
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> got.size() >= 100);
    Awaitility.await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> got.size() == 100);
    again.disconnect();
    again.close();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      expected.add("a" + i);
      expected.add("b" + i);
    }
    assertInOrderPerTopic(got, expected);
  }

  private org.eclipse.paho.client.mqttv3.MqttClient paho(String id) throws Exception {
    return new org.eclipse.paho.client.mqttv3.MqttClient("tcp://127.0.0.1:" + berth.port(), id, new MemoryPersistence());
  }
}
