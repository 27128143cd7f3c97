package io.berth.client;

import io.berth.client.store.ClientSessionStore;
import io.berth.client.store.FileDurability;
import io.berth.codec.QoS;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The application of {@link KilledClientProcessScenarios}, run in a child JVM: publishes {@code count}
 * messages {@code <prefix><i>} (QoS 2 for odd {@code i}, QoS 1 for even) with every message property
 * (see {@link #message}) through a file-backed session and prints {@code stored <payload>} for each once
 * the store holds it, then {@code done} when the broker acknowledged all of them. Its will
 * ({@code will-<prefix>} on {@code wills/killed-publisher}, with a content type and a user property) is
 * published by the broker if the process dies.
 *
 * <p>Arguments: broker port, store file, payload prefix, count, {@link FileDurability} of the store.
 */
public final class PublisherProcess {
    private PublisherProcess() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path store = Path.of(args[1]);
        String prefix = args[2];
        int count = Integer.parseInt(args[3]);
        try (MqttClient client = MqttClient.builder()
                .serverAddress("127.0.0.1", port)
                .clientId("killed-publisher")
                .cleanStart(false)
                .sessionExpiry(Duration.ofMinutes(5))
                .reconnectDelay(Duration.ofMillis(10), Duration.ofMillis(200))
                .sessionStore(ClientSessionStore.file(store, FileDurability.valueOf(args[4])))
                .will(
                        Message.builder("wills/killed-publisher")
                                .payload("will-" + prefix)
                                .qos(QoS.AT_LEAST_ONCE)
                                .contentType("text/plain")
                                .userProperty("cause", "connection lost")
                                .build(),
                        Duration.ZERO)
                .build()) {
            client.connect().join();
            List<PublishFuture> futures = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                String payload = prefix + i;
                PublishFuture f = client.publish(message(prefix, i));
                f.stored().thenRun(() -> System.out.println("stored " + payload));
                futures.add(f);
            }
            futures.forEach(f -> f.join());
            System.out.println("done");
        }
    }

    /** Message {@code i}: its properties are derived from its payload, so the receiver can check them. */
    static Message message(String prefix, int i) {
        String payload = prefix + i;
        return Message.builder("killed/x")
                .payload(payload) // a String: Payload Format Indicator UTF-8
                .qos(i % 2 == 1 ? QoS.EXACTLY_ONCE : QoS.AT_LEAST_ONCE)
                .contentType("text/plain")
                .messageExpiry(Duration.ofHours(1))
                .responseTopic("replies/" + payload)
                .correlationData(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .userProperty("seq", payload)
                .userProperty("origin", prefix)
                .build();
    }
}
