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
import java.util.List;
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
 * A publish on one node reaches the durable sessions served by the others (ADR 13), with real clients
 * (HiveMQ 5.0, Paho 3.1.1): every message, in the publisher's order, QoS 2 once; while offline too; with
 * wildcards; not after an unsubscribe. One three-node cluster serves every test (each uses topics and
 * client ids of its own).
 */
class CrossNodeRoutingTest {
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
    void disconnect() {
        clients.close();
    }

    private Mqtt5BlockingClient client(String id, int node) {
        return clients.client(id, cluster.node(node));
    }

    private static boolean connectPersistent(Mqtt5BlockingClient c) {
        return c.connectWith()
                .cleanStart(false)
                .sessionExpiryInterval(3600)
                .send()
                .isSessionPresent();
    }

    private org.eclipse.paho.client.mqttv3.MqttClient paho(int node, String id, List<String> into)
            throws MqttException {
        return clients.paho(id, cluster.node(node), into);
    }

    private static MqttConnectOptions persistent311() {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(false);
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        return o;
    }

    /** Every node applied what any node applied so far: subscriptions are known everywhere. */
    private static void settled() {
        long target = 0;
        for (int i = 0; i < 3; i++) {
            target = Math.max(target, cluster.node(i).cluster().status().appliedIndex());
        }
        long t = target;
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            for (int i = 0; i < 3; i++) {
                if (cluster.node(i).cluster().status().appliedIndex() < t) {
                    return false;
                }
            }
            return true;
        });
    }

    /** Publishes on {@code node}; each send returns once acknowledged (PUBACK, or PUBREC and PUBCOMP). */
    private void publish(int node, String topic, int from, int count, MqttQos qos) {
        Mqtt5BlockingClient pub = client("pub-" + topic.replace('/', '-') + "-" + from, node);
        pub.connect();
        for (int i = from; i < from + count; i++) {
            pub.publishWith()
                    .topic(topic)
                    .qos(qos == null ? (i % 2 == 0 ? MqttQos.AT_LEAST_ONCE : MqttQos.EXACTLY_ONCE) : qos)
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

    /** The messages of {@code parity} (0: the even ones, QoS 1; 1: the odd ones, QoS 2), in their order. */
    private static List<String> ofQos(List<String> messages, int parity) {
        return messages.stream()
                .filter(m -> Integer.parseInt(m.substring(m.lastIndexOf("/m") + 2)) % 2 == parity)
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

    @Test
    void publishOnA_reachesPersistentSubscribersOnBAndC_everyMessageInOrder_qos1AndQos2() throws Exception {
        Mqtt5BlockingClient onB = client("route-b", 1);
        List<String> onC = Collections.synchronizedList(new ArrayList<>());
        org.eclipse.paho.client.mqttv3.MqttClient legacy = paho(2, "route-c", onC);
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = onB.publishes(MqttGlobalPublishFilter.ALL)) {
            connectPersistent(onB);
            onB.subscribeWith().topicFilter("route/x").qos(MqttQos.EXACTLY_ONCE).send();
            legacy.connect(persistent311());
            legacy.subscribe("route/x", 2);
            settled();

            publish(0, "route/x", 0, 60, null); // QoS 1 (even) and QoS 2 (odd) alternating

            // every message once, in the publisher's order per QoS [MQTT-4.6.0-6] [MQTT-4.3.3-2]. The broker
            // sends them in the publisher's order; a client may hand a QoS 2 message to the application only
            // at its PUBREL, after the QoS 1 message sent after it
            List<String> got = receive(publishes, 60);
            assertThat(got).containsExactlyInAnyOrderElementsOf(expected("route/x", 0, 60));
            assertThat(ofQos(got, 0)).isEqualTo(ofQos(expected("route/x", 0, 60), 0));
            assertThat(ofQos(got, 1)).isEqualTo(ofQos(expected("route/x", 0, 60), 1));
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> onC.size() >= 60);
            List<String> legacyGot = List.copyOf(onC);
            assertThat(legacyGot).containsExactlyInAnyOrderElementsOf(expected("route/x", 0, 60));
            assertThat(ofQos(legacyGot, 0)).isEqualTo(ofQos(expected("route/x", 0, 60), 0));
            assertThat(ofQos(legacyGot, 1)).isEqualTo(ofQos(expected("route/x", 0, 60), 1));
            assertThat(publishes.receive(300, TimeUnit.MILLISECONDS)).isEmpty();
        }
    }

    @Test
    void offlineSubscriberOfB_getsWhatWasPublishedOnA_whenItReconnectsToC() throws Exception {
        Mqtt5BlockingClient first = client("away", 1);
        connectPersistent(first);
        first.subscribeWith().topicFilter("away/#").qos(MqttQos.EXACTLY_ONCE).send();
        first.disconnect();
        settled();

        publish(0, "away/a", 0, 30, null);

        Mqtt5BlockingClient back = client("away", 2);
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = back.publishes(MqttGlobalPublishFilter.ALL)) {
            // [MQTT-3.2.2-3] Session Present 1, on a third node
            assertThat(connectPersistent(back)).isTrue();
            assertThat(receive(publishes, 30)).isEqualTo(expected("away/a", 0, 30));
            // it lives on C now: what A publishes still comes
            settled();
            publish(0, "away/b", 0, 5, MqttQos.AT_LEAST_ONCE);
            assertThat(receive(publishes, 5)).isEqualTo(expected("away/b", 0, 5));
        }
    }

    @Test
    void paho311_offlineSubscriber_getsWhatWasPublishedOnAnotherNode() throws Exception {
        List<String> got = Collections.synchronizedList(new ArrayList<>());
        org.eclipse.paho.client.mqttv3.MqttClient sub = paho(1, "legacy-away", got);
        sub.connect(persistent311());
        sub.subscribe("legacy-away/+", 1);
        sub.disconnect();
        settled();

        publish(0, "legacy-away/t", 0, 20, null);

        org.eclipse.paho.client.mqttv3.MqttClient again = paho(1, "legacy-away", got);
        // [MQTT-3.2.2-2] 3.1.1: Session Present 1
        assertThat(again.connectWithResult(persistent311()).getSessionPresent()).isTrue();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> got.size() >= 20);
        assertThat(got).isEqualTo(expected("legacy-away/t", 0, 20));
    }

    @Test
    void wildcardFilters_matchAcrossNodes() throws Exception {
        Mqtt5BlockingClient sub = client("wild", 1);
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL)) {
            connectPersistent(sub);
            sub.subscribeWith()
                    .topicFilter("wild/+/temp")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            sub.subscribeWith()
                    .topicFilter("wild/house/#")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            settled();

            publish(0, "wild/garden/hum", 0, 1, MqttQos.AT_LEAST_ONCE); // matches neither
            publish(0, "wild/kitchen/temp", 0, 1, MqttQos.AT_LEAST_ONCE);
            publish(2, "wild/house/a/b", 0, 1, MqttQos.AT_LEAST_ONCE);
            publish(0, "wild/house/temp", 0, 1, MqttQos.AT_LEAST_ONCE); // matches both: delivered once

            assertThat(receive(publishes, 3))
                    .containsExactly("wild/kitchen/temp/m0", "wild/house/a/b/m0", "wild/house/temp/m0");
            assertThat(publishes.receive(300, TimeUnit.MILLISECONDS)).isEmpty();
        }
    }

    @Test
    void unsubscribeOnB_stopsDeliveryFromA() throws Exception {
        Mqtt5BlockingClient sub = client("quitter", 1);
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL)) {
            connectPersistent(sub);
            sub.subscribeWith().topicFilter("quit/a").qos(MqttQos.AT_LEAST_ONCE).send();
            sub.subscribeWith().topicFilter("quit/b").qos(MqttQos.AT_LEAST_ONCE).send();
            settled();
            publish(0, "quit/a", 0, 1, MqttQos.AT_LEAST_ONCE);
            assertThat(receive(publishes, 1)).containsExactly("quit/a/m0");

            // [MQTT-3.10.4-2] after UNSUBACK no new message of that filter
            sub.unsubscribeWith().topicFilter("quit/a").send();
            settled();
            publish(0, "quit/a", 1, 3, MqttQos.AT_LEAST_ONCE);
            publish(0, "quit/b", 0, 1, MqttQos.AT_LEAST_ONCE);
            assertThat(receive(publishes, 1)).containsExactly("quit/b/m0");
            assertThat(publishes.receive(300, TimeUnit.MILLISECONDS)).isEmpty();
        }
    }

    @Test
    void retainedPublishOnA_reachesALiveSubscriberOnB_withRetainCleared() throws Exception {
        Mqtt5BlockingClient sub = client("lamp-watch", 1);
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL)) {
            connectPersistent(sub);
            sub.subscribeWith()
                    .topicFilter("lamp2/#")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            settled();
            Mqtt5BlockingClient pub = client("lamp2-pub", 0);
            pub.connect();
            pub.publishWith()
                    .topic("lamp2/state")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .retain(true)
                    .payload("on".getBytes(StandardCharsets.UTF_8))
                    .send();
            Mqtt5Publish p = publishes.receive(20, TimeUnit.SECONDS).orElseThrow();
            assertThat(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("on");
            // [MQTT-3.3.1-9] to an existing subscription, RETAIN is cleared (no Retain As Published)
            assertThat(p.isRetain()).isFalse();
        }
    }

    @Test
    void qos0_reachesAnOnlineSubscriberOnAnotherNode() throws Exception {
        Mqtt5BlockingClient sub = client("zero", 2);
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL)) {
            connectPersistent(sub);
            sub.subscribeWith().topicFilter("zero/#").qos(MqttQos.AT_MOST_ONCE).send();
            settled();
            publish(0, "zero/t", 0, 10, MqttQos.AT_LEAST_ONCE); // delivered at QoS 0 (min of both)
            assertThat(receive(publishes, 10)).isEqualTo(expected("zero/t", 0, 10));
        }
    }

    @Test
    void sharedSubscription_withMembersOnEveryNode_getsEachMessageOnce_balanced() throws Exception {
        List<List<String>> got = new ArrayList<>();
        List<Mqtt5BlockingClient.Mqtt5Publishes> flows = new ArrayList<>();
        for (int node = 0; node < 3; node++) {
            Mqtt5BlockingClient member = client("worker-" + node, node);
            flows.add(member.publishes(MqttGlobalPublishFilter.ALL));
            connectPersistent(member);
            member.subscribeWith()
                    .topicFilter("$share/workers/jobs/#")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            got.add(Collections.synchronizedList(new ArrayList<>()));
        }
        settled();
        publish(0, "jobs/a", 0, 30, MqttQos.AT_LEAST_ONCE);

        List<String> all = new ArrayList<>();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            for (int i = 0; i < 3; i++) {
                for (var p = flows.get(i).receive(10, TimeUnit.MILLISECONDS);
                        p.isPresent();
                        p = flows.get(i).receive(10, TimeUnit.MILLISECONDS)) {
                    String m =
                            p.get().getTopic() + "/" + new String(p.get().getPayloadAsBytes(), StandardCharsets.UTF_8);
                    got.get(i).add(m);
                    all.add(m);
                }
            }
            return all.size() >= 30;
        });
        // [MQTT-4.8.2-2] each message of a shared subscription goes to one member of the group, here
        // whichever node it is on
        assertThat(all).containsExactlyInAnyOrderElementsOf(expected("jobs/a", 0, 30));
        for (int i = 0; i < 3; i++) {
            assertThat(got.get(i))
                    .as("messages of the member on node %d", i + 1)
                    .isNotEmpty();
            // each member's share in the publisher's order [MQTT-4.6.0-6]
            assertThat(got.get(i).stream()
                            .map(m -> Integer.parseInt(m.substring(m.lastIndexOf("/m") + 2)))
                            .toList())
                    .isSorted();
        }
        for (Mqtt5BlockingClient.Mqtt5Publishes f : flows) {
            f.close();
        }
    }
}
