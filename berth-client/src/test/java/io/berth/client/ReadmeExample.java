package io.berth.client;

import io.berth.client.store.ClientSessionStore;
import io.berth.codec.QoS;
import java.nio.file.Path;
import java.time.Duration;

/** The README's client example, compiled with the tests so that it stays true. Not run. */
final class ReadmeExample {
  private ReadmeExample() {}

  static void main(String[] args) throws Exception {
    try (MqttClient client = MqttClient.builder()
        .serverAddress("localhost", 1883)
        .clientId("sensor-7")                      // a persistent session needs a fixed id
        .cleanStart(false)                         // resume the session the broker keeps
        .sessionExpiry(Duration.ofHours(1))        // MQTT 5: how long the broker keeps it
        .sessionStore(ClientSessionStore.file(Path.of("sensor-7.session")))
        .sendBuffer(10_000, 16 << 20, OverflowPolicy.DROP_OLDEST)
        .droppedListener((m, why) -> System.err.println("dropped " + m + ": " + why))
        .build()) {
      client.connect().join();
      client.subscribe("commands/sensor-7/#", QoS.EXACTLY_ONCE,
          m -> System.out.println(m.topic() + " " + m.payloadAsString())).join();

      PublishFuture f = client.publish(Message.of("readings/7", "21.5", QoS.EXACTLY_ONCE));
      f.stored().join(); // on disk: survives a crash of this process from here on
      f.join();          // acknowledged by the broker (PUBCOMP)
    }
  }
}
