package io.berth.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sessions that end with their connection (MQTT 5.0 Session Expiry 0, 3.1.1 Clean Session 1) get what is
 * published on every node (ADR 16), with real clients (HiveMQ 5.0, Paho 3.1.1): every message, in the
 * publisher's order, QoS 2 once; shared subscriptions with such members on several nodes, mixed with a
 * persistent one, get each message once; and a SUBACK means that a publish on any other node right after
 * it reaches the subscription. One three-node cluster serves every test (each with topics and client ids
 * of its own); no test waits for the nodes to settle: the SUBACK is what it relies on.
 */
class VolatileRoutingTest {
    @TempDir
    static Path dir;

    private static TestCluster cluster;
    private final ClusterClients clients = new ClusterClients();

    @BeforeAll
    static void start() {
        cluster = new TestCluster(dir, 3).startAll();
    }

    @AfterAll
    static void stopAll() {
        cluster.close();
    }

    @AfterEach
    void disconnect() throws MqttException {
        clients.close();
    }

    /** A 5.0 client connected to {@code node} with Clean Start and no Session Expiry (0). */
    private Mqtt5BlockingClient ending(String id, int node) {
        Mqtt5BlockingClient c = clients.client(id, cluster.node(node));
        assertThat(c.connectWith().cleanStart(true).send().isSessionPresent()).isFalse();
        return c;
    }

    /** A 3.1.1 Paho client connected to {@code node} with Clean Session 1, collecting {@code topic/payload}. */
    private org.eclipse.paho.client.mqttv3.MqttClient paho(int node, String id, List<String> into)
            throws MqttException {
        org.eclipse.paho.client.mqttv3.MqttClient c = clients.paho(id, cluster.node(node), into);
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        c.connect(o);
        return c;
    }

    private static MqttQos qosOf(int i) {
        return List.of(MqttQos.AT_MOST_ONCE, MqttQos.AT_LEAST_ONCE, MqttQos.EXACTLY_ONCE)
                .get(i % 3);
    }

    /** Publishes {@code count} messages {@code m<from>..} on {@code node}, QoS 0, 1, 2 in turn; each send returns once acknowledged. */
    private void publish(int node, String id, String topic, int from, int count) {
        Mqtt5BlockingClient pub = ending(id, node);
        for (int i = from; i < from + count; i++) {
            pub.publishWith()
                    .topic(topic)
                    .qos(qosOf(i))
                    .payload(("m" + i).getBytes(StandardCharsets.UTF_8))
                    .send();
        }
        pub.disconnect();
    }

    private static List<String> expected(String topic, int from, int count) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            out.add(topic + "/m" + i);
        }
        return out;
    }

    /** The messages numbered {@code from} to {@code from + count - 1} (one publisher's), in the order given. */
    private static List<String> from(List<String> messages, int from, int count) {
        return messages.stream()
                .filter(m -> {
                    int n = Integer.parseInt(m.substring(m.lastIndexOf("/m") + 2));
                    return n >= from && n < from + count;
                })
                .toList();
    }

    /** The messages published with QoS {@code qos}, in the order given. */
    private static List<String> ofQos(List<String> messages, int qos) {
        return messages.stream()
                .filter(m -> Integer.parseInt(m.substring(m.lastIndexOf("/m") + 2)) % 3 == qos)
                .toList();
    }

    private static List<String> receive(Mqtt5BlockingClient.Mqtt5Publishes publishes, int count)
            throws InterruptedException {
        List<String> got = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Mqtt5Publish p = publishes
                    .receive(20, TimeUnit.SECONDS)
                    .orElseThrow(
                            () -> new AssertionError("only " + got.size() + " of " + count + " messages came: " + got));
            got.add(p.getTopic() + "/" + new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8));
        }
        return got;
    }

    /** Every message once, and per QoS in the publisher's order [MQTT-4.6.0-6] [MQTT-4.3.3-2]. */
    private static void everyOnceInOrder(List<String> got, List<String> expected) {
        assertThat(got).containsExactlyInAnyOrderElementsOf(expected);
        for (int qos = 0; qos < 3; qos++) {
            assertThat(ofQos(got, qos)).as("QoS " + qos).isEqualTo(ofQos(expected, qos));
        }
    }

    @Test
    void publishOnAnyNode_reachesSessionsThatEndWithTheirConnection_onEveryNode_qos012_inOrder_qos2Once()
            throws Exception {
        Mqtt5BlockingClient onB = ending("ending-b", 1);
        List<String> onC = Collections.synchronizedList(new ArrayList<>());
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = onB.publishes(MqttGlobalPublishFilter.ALL)) {
            onB.subscribeWith()
                    .topicFilter("ending/x")
                    .qos(MqttQos.EXACTLY_ONCE)
                    .send();
            paho(2, "ending-c", onC).subscribe("ending/x", 2);

            publish(0, "ending-pub-a", "ending/x", 0, 30); // on the third node
            publish(1, "ending-pub-b", "ending/x", 30, 15); // on the subscriber's own node

            List<String> got = receive(publishes, 45);
            everyOnceInOrder(from(got, 0, 30), expected("ending/x", 0, 30));
            everyOnceInOrder(from(got, 30, 15), expected("ending/x", 30, 15));
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> onC.size() >= 45);
            List<String> legacy = List.copyOf(onC);
            everyOnceInOrder(from(legacy, 0, 30), expected("ending/x", 0, 30));
            everyOnceInOrder(from(legacy, 30, 15), expected("ending/x", 30, 15));
            // [MQTT-4.3.3-2] QoS 2 once: nothing more comes
            assertThat(publishes.receive(300, TimeUnit.MILLISECONDS)).isEmpty();
            assertThat(onC).hasSize(45);
        }
    }

    @Test
    void sharedSubscription_membersOnThreeNodes_persistentAndNot_getsEachMessageOnce() throws Exception {
        Map<String, List<String>> byMember = new ConcurrentHashMap<>();
        List<Mqtt5BlockingClient.Mqtt5Publishes> streams = new ArrayList<>();
        for (int node = 0; node < 3; node++) {
            String id = "member-" + node;
            Mqtt5BlockingClient m = clients.client(id, cluster.node(node));
            streams.add(m.publishes(MqttGlobalPublishFilter.ALL));
            // the member on the first node is persistent, the two others end with their connection
            m.connectWith()
                    .cleanStart(true)
                    .sessionExpiryInterval(node == 0 ? 3600 : 0)
                    .send();
            m.subscribeWith()
                    .topicFilter("$share/g/shared/x")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            byMember.put(id, Collections.synchronizedList(new ArrayList<>()));
        }
        Mqtt5BlockingClient pubA = ending("shared-pub-a", 0);
        Mqtt5BlockingClient pubC = ending("shared-pub-c", 2);
        for (int i = 0; i < 30; i++) {
            for (Mqtt5BlockingClient pub : List.of(pubA, pubC)) {
                pub.publishWith()
                        .topic("shared/x")
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .payload(((pub == pubA ? "a" : "c") + i).getBytes(StandardCharsets.UTF_8))
                        .send();
            }
        }

        // [MQTT-4.8.2-3] each message of a shared subscription goes to one member only
        Set<String> seen = new HashSet<>();
        List<String> all = new ArrayList<>();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (int i = 0; i < 3; i++) {
                var p = streams.get(i).receive(10, TimeUnit.MILLISECONDS);
                if (p.isPresent()) {
                    String text = new String(p.get().getPayloadAsBytes(), StandardCharsets.UTF_8);
                    all.add(text);
                    seen.add(text);
                    byMember.get("member-" + i).add(text);
                }
            }
            return all.size() >= 60;
        });
        assertThat(all).hasSize(60);
        assertThat(seen).hasSize(60);
        for (int i = 0; i < 3; i++) {
            assertThat(streams.get(i).receive(200, TimeUnit.MILLISECONDS))
                    .as("a second copy")
                    .isEmpty();
        }
        // balanced across the nodes: round robin over the members, whichever node each is on
        byMember.forEach((id, got) -> assertThat(got).as(id).isNotEmpty());
        streams.forEach(Mqtt5BlockingClient.Mqtt5Publishes::close);
    }

    @Test
    void subackOnOneNode_aPublishOnAnotherRightAfterIt_isNeverMissed() throws Exception {
        Mqtt5BlockingClient ending = ending("suback-ending", 0);
        Mqtt5BlockingClient durable = clients.client("suback-durable", cluster.node(2));
        durable.connectWith().cleanStart(true).sessionExpiryInterval(3600).send();
        Mqtt5BlockingClient pub = ending("suback-pub", 1);
        try (Mqtt5BlockingClient.Mqtt5Publishes toEnding = ending.publishes(MqttGlobalPublishFilter.ALL);
                Mqtt5BlockingClient.Mqtt5Publishes toDurable = durable.publishes(MqttGlobalPublishFilter.ALL)) {
            for (int i = 0; i < 20; i++) {
                String topic = "suback/" + i;
                // [MQTT-3.8.4-1] the SUBACK answers the SUBSCRIBE; from then on the subscription is routed
                // on every node: the publish on another node at once reaches it
                ending.subscribeWith()
                        .topicFilter(topic)
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .send();
                pub.publishWith()
                        .topic(topic)
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .payload(new byte[] {1})
                        .send();
                assertThat(toEnding.receive(20, TimeUnit.SECONDS))
                        .as("message %d to the session that ends with its connection", i)
                        .hasValueSatisfying(
                                p -> assertThat(p.getTopic().toString()).isEqualTo(topic));

                durable.subscribeWith()
                        .topicFilter(topic + "/d")
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .send();
                pub.publishWith()
                        .topic(topic + "/d")
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .payload(new byte[] {2})
                        .send();
                assertThat(toDurable.receive(20, TimeUnit.SECONDS))
                        .as("message %d to the persistent session", i)
                        .hasValueSatisfying(
                                p -> assertThat(p.getTopic().toString()).isEqualTo(topic + "/d"));
            }
        }
    }
}
