package io.berth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.berth.codec.MqttVersion;
import io.berth.codec.QoS;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The client against Debian's mosquitto: both protocol versions, all QoS, buffer policies, misuse. */
class MosquittoInteropIT {
  @TempDir Path dir;
  private MosquittoBroker broker;
  private final List<MqttClient> clients = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    assumeTrue(MosquittoBroker.isInstalled(), "mosquitto is not installed");
    broker = MosquittoBroker.start(dir);
  }

  @AfterEach
  void stop() throws Exception {
    clients.forEach(MqttClient::close);
    if (broker != null) {
      broker.close();
    }
  }

  private MqttClientBuilder client(String id, MqttVersion version) {
    return MqttClient.builder().serverAddress("127.0.0.1", broker.port()).clientId(id).version(version);
  }

  private MqttClient connected(MqttClientBuilder b) {
    MqttClient c = b.build();
    clients.add(c);
    c.connect().join();
    return c;
  }

  @ParameterizedTest
  @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
  void publishAndSubscribe_everyQos_arrivesOnce(MqttVersion version) {
    Received received = new Received();
    MqttClient sub = connected(client("sub", version));
    assertThat(sub.subscribe("t/#", QoS.EXACTLY_ONCE, received).join()).isEqualTo(QoS.EXACTLY_ONCE);
    MqttClient pub = connected(client("pub", version));

    List<PublishFuture> futures = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      futures.add(pub.publish(Message.of("t/" + i % 3, "m" + i, QoS.values()[i % 3])));
    }

    futures.forEach(f -> f.join());
    assertThat(futures).allMatch(f -> f.stored().isDone());
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> received.distinct() == 300);
    } catch (RuntimeException e) {
      java.util.List<Integer> missing = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        if (received.count("m" + i) == 0) {
          missing.add(i);
        }
      }
      throw new AssertionError("missing " + missing, e);
    }
    assertThat(received.duplicates()).isEmpty();
  }

  @Test
  void blockingStream_deliversInOrder() throws Exception {
    MqttClient c = connected(client("stream", MqttVersion.V5));
    try (MessageStream stream = c.subscribeStream("s/+", QoS.AT_LEAST_ONCE)) {
      c.publish(Message.of("s/1", "one", QoS.AT_LEAST_ONCE));
      c.publish(Message.of("s/2", "two", QoS.AT_LEAST_ONCE));
      assertThat(stream.poll(Duration.ofSeconds(5)).payloadAsString()).isEqualTo("one");
      assertThat(stream.poll(Duration.ofSeconds(5)).payloadAsString()).isEqualTo("two");
    }
  }

  @Test
  void apiMisuse_throwsAtOnce() {
    MqttClient c = client("misuse", MqttVersion.V5).build();
    clients.add(c);
    assertThatThrownBy(() -> c.publish(Message.of("a/+", "x", QoS.AT_LEAST_ONCE)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid topic name");
    assertThatThrownBy(() -> Message.of("a", new byte[0], 3))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("QoS must be 0, 1 or 2");
    assertThatThrownBy(() -> c.subscribe("a/#/b", QoS.AT_MOST_ONCE, m -> {}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid topic filter");
    assertThatThrownBy(() -> c.publish(Message.of("a", new byte[65 * 1024 * 1024], QoS.AT_MOST_ONCE)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds");
    c.close();
    assertThatThrownBy(() -> c.publish(Message.of("a", "x", QoS.AT_MOST_ONCE)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  @Test
  void offlineBuffer_dropOldest_reportsDropsAndSendsTheRestOnConnect() {
    Received received = new Received();
    connected(client("sub2", MqttVersion.V5)).subscribe("b/#", QoS.AT_LEAST_ONCE, received).join();
    List<String> dropped = new CopyOnWriteArrayList<>();
    MqttClient pub = client("pub2", MqttVersion.V5)
        .sendBuffer(3, 1_000_000, OverflowPolicy.DROP_OLDEST)
        .droppedListener((m, reason) -> dropped.add(m.payloadAsString()))
        .build();
    clients.add(pub);

    List<PublishFuture> futures = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      futures.add(pub.publish(Message.of("b/x", "m" + i, QoS.AT_LEAST_ONCE)));
    }
    await().until(() -> dropped.size() == 2);
    pub.connect().join();

    assertThat(dropped).containsExactly("m1", "m2");
    assertThat(futures.get(0)).isCompletedExceptionally();
    futures.subList(2, 5).forEach(f -> f.join());
    await().until(() -> received.distinct() == 3);
    assertThat(received.count("m3") + received.count("m4") + received.count("m5")).isEqualTo(3);
  }

  @Test
  void offlineBuffer_reject_failsTheNewMessage() {
    MqttClient pub = client("pub3", MqttVersion.V3_1_1)
        .sendBuffer(2, 1_000_000, OverflowPolicy.REJECT).build();
    clients.add(pub);
    pub.publish(Message.of("r", "1", QoS.AT_LEAST_ONCE));
    pub.publish(Message.of("r", "2", QoS.AT_LEAST_ONCE));
    PublishFuture third = pub.publish(Message.of("r", "3", QoS.AT_LEAST_ONCE));

    assertThatThrownBy(third::join).hasCauseInstanceOf(MqttClientException.class)
        .hasMessageContaining("rejected");
  }
}
