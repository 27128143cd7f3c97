package io.berth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.berth.client.CuttableProxy.Direction;
import io.berth.codec.MqttVersion;
import io.berth.codec.QoS;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * QoS 2 is exactly once across a connection cut in every phase of the handshake, in both directions:
 * the proxy swallows the chosen packet and cuts, the client reconnects and resumes its session, and every
 * message arrives once. [MQTT-4.3.3] [MQTT-4.4.0-1]
 */
abstract class Qos2HandshakeCutScenarios {
    /** The broker these scenarios run against. */
    abstract TestBroker.Kind kind();

    private static final int MESSAGES = 30;

    @TempDir
    Path dir;

    private TestBroker broker;
    private CuttableProxy proxy;
    private final List<MqttClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        assumeTrue(kind().available(), kind() + " is not available");
        broker = kind().start(dir);
        proxy = new CuttableProxy(broker.port());
    }

    @AfterEach
    void stop() throws Exception {
        clients.forEach(MqttClient::close);
        if (proxy != null) {
            proxy.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private MqttClient client(String id, int port, MqttVersion version) {
        MqttClient c = MqttClient.builder()
                .serverAddress("127.0.0.1", port)
                .version(version)
                .clientId(id)
                .cleanStart(false)
                .sessionExpiry(Duration.ofMinutes(5))
                .reconnectDelay(Duration.ofMillis(10), Duration.ofMillis(200))
                .build();
        clients.add(c);
        return c;
    }

    @ParameterizedTest(name = "{0} {1} cut at {2} ({3})")
    @CsvSource({
        "V5, publisher, TO_BROKER, 3, PUBLISH lost",
        "V5, publisher, TO_CLIENT, 5, PUBREC lost",
        "V5, publisher, TO_BROKER, 6, PUBREL lost",
        "V5, publisher, TO_CLIENT, 7, PUBCOMP lost",
        "V5, subscriber, TO_CLIENT, 3, PUBLISH lost",
        "V5, subscriber, TO_BROKER, 5, PUBREC lost",
        "V5, subscriber, TO_CLIENT, 6, PUBREL lost",
        "V5, subscriber, TO_BROKER, 7, PUBCOMP lost",
        "V3_1_1, publisher, TO_CLIENT, 5, PUBREC lost",
        "V3_1_1, publisher, TO_BROKER, 6, PUBREL lost",
        "V3_1_1, subscriber, TO_BROKER, 5, PUBREC lost",
        "V3_1_1, subscriber, TO_CLIENT, 6, PUBREL lost",
    })
    void cutInHandshake_everyMessageArrivesExactlyOnce(
            MqttVersion version, String side, Direction direction, int packetType, String phase) {
        boolean publisherBehindProxy = side.equals("publisher");
        Received received = new Received();
        MqttClient sub = client("sub", publisherBehindProxy ? broker.port() : proxy.port(), version);
        sub.connect().join();
        sub.subscribe("q2/#", QoS.EXACTLY_ONCE, received).join();
        MqttClient pub = client("pub", publisherBehindProxy ? proxy.port() : broker.port(), version);
        pub.connect().join();

        proxy.cutAt(direction, packetType, MESSAGES / 3);
        List<PublishFuture> futures = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            futures.add(pub.publish(Message.of("q2/x", "m" + i, QoS.EXACTLY_ONCE)));
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> received.distinct() == MESSAGES);
        futures.forEach(f -> f.join());
        // the subscriber's PUBREC/PUBCOMP may still be on their way when the publisher's futures are done
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () -> assertThat(proxy.armed()).as("the cut happened").isFalse());
        await().during(Duration.ofMillis(300))
                .atMost(Duration.ofSeconds(2))
                .until(() -> received.duplicates().isEmpty());
        assertThat(received.distinct()).isEqualTo(MESSAGES);
    }
}
