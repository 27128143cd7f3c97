package io.berth.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.berth.broker.Berth;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Three nodes in this JVM, real MQTT clients: a persistent session resumes on another node with every
 * acknowledged message, also when a node is gone, and a stopped node catches up when it comes back.
 */
class ClusterTest extends ClusterFixture {

    private static Mqtt5ConnAck connectPersistent(Mqtt5BlockingClient c) {
        return c.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
    }

    /** Publishes {@code count} messages; each send returns once acknowledged (PUBACK, or PUBREC/PUBCOMP). */
    private void publish(Berth node, String topic, MqttQos qos, int from, int count) {
        Mqtt5BlockingClient pub = clients.client("pub-" + topic + "-" + from + "-" + System.nanoTime(), node);
        pub.connect();
        for (int i = from; i < from + count; i++) {
            pub.publishWith()
                    .topic(topic)
                    .qos(qos)
                    .payload(("m" + i).getBytes(StandardCharsets.UTF_8))
                    .send();
        }
        pub.disconnect();
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

    private static List<String> expected(String topic, int from, int count) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            out.add(topic + "/m" + i);
        }
        return out;
    }

    private void subscribeAndLeave(String id, Berth node, String filter) {
        Mqtt5BlockingClient sub = clients.client(id, node);
        connectPersistent(sub);
        sub.subscribeWith().topicFilter(filter).qos(MqttQos.EXACTLY_ONCE).send();
        sub.disconnect();
    }

    @Test
    void persistentSession_resumesOnAnotherNode_withEveryQueuedMessageInOrder() throws Exception {
        cluster = new TestCluster(dir, 3).startAll();
        subscribeAndLeave("fleet-1", cluster.node(0), "fleet/#");
        publish(cluster.node(0), "fleet/a", MqttQos.AT_LEAST_ONCE, 0, 20);
        publish(cluster.node(0), "fleet/b", MqttQos.EXACTLY_ONCE, 0, 10);

        Mqtt5BlockingClient sub = clients.client("fleet-1", cluster.node(2));
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL)) {
            // [MQTT-3.2.2-3] Session Present 1: the session is resumed, here on another node
            assertThat(connectPersistent(sub).isSessionPresent()).isTrue();
            List<String> want = new ArrayList<>(expected("fleet/a", 0, 20));
            want.addAll(expected("fleet/b", 0, 10));
            assertThat(receive(publishes, 30)).isEqualTo(want);
            // and the session now lives on node 3: a message published there reaches it
            publish(cluster.node(2), "fleet/c", MqttQos.AT_LEAST_ONCE, 0, 1);
            assertThat(receive(publishes, 1)).containsExactly("fleet/c/m0");
        }
    }

    @Test
    void paho311_cleanSessionFalse_resumesOnAnotherNode() throws Exception {
        cluster = new TestCluster(dir, 3).startAll();
        List<String> received = java.util.Collections.synchronizedList(new ArrayList<>());
        org.eclipse.paho.client.mqttv3.MqttConnectOptions opts =
                new org.eclipse.paho.client.mqttv3.MqttConnectOptions();
        opts.setCleanSession(false);
        org.eclipse.paho.client.mqttv3.MqttClient sub = paho(cluster.node(1), "legacy-sub");
        sub.connect(opts);
        sub.subscribe("legacy/#", 2);
        sub.disconnect();
        sub.close();

        org.eclipse.paho.client.mqttv3.MqttClient pub = paho(cluster.node(1), "legacy-pub");
        pub.connect();
        for (int i = 0; i < 20; i++) {
            // a synchronous publish returns once PUBACK (QoS 1) or PUBCOMP (QoS 2) came
            pub.publish("legacy/x", ("m" + i).getBytes(StandardCharsets.UTF_8), i < 10 ? 1 : 2, false);
        }
        pub.disconnect();
        pub.close();

        org.eclipse.paho.client.mqttv3.MqttClient again = paho(cluster.node(0), "legacy-sub");
        again.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {}

            @Override
            public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage message) {
                received.add(topic + "/" + new String(message.getPayload(), StandardCharsets.UTF_8));
            }

            @Override
            public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {}
        });
        // [MQTT-3.2.2-2] 3.1.1: Session Present 1 when the server has the session, here on another node
        assertThat(again.connectWithResult(opts).getSessionPresent()).isTrue();
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(20))
                .until(() -> received.size() >= 20);
        assertThat(received).isEqualTo(expected("legacy/x", 0, 20));
        again.disconnect();
        again.close();
    }

    @Test
    void messagesSentButNotAcknowledged_areSentAgainWithDup_byTheNodeTheSessionMovesTo() throws Exception {
        cluster = new TestCluster(dir, 3).startAll();
        org.eclipse.paho.client.mqttv3.MqttConnectOptions opts =
                new org.eclipse.paho.client.mqttv3.MqttConnectOptions();
        opts.setCleanSession(false);
        List<org.eclipse.paho.client.mqttv3.MqttMessage> first =
                java.util.Collections.synchronizedList(new ArrayList<>());
        org.eclipse.paho.client.mqttv3.MqttClient sub = paho(cluster.node(0), "dup-sub");
        sub.setManualAcks(true); // received, never acknowledged
        sub.setCallback(collect(first));
        sub.connect(opts);
        sub.subscribe("dup/#", 1);
        publish(cluster.node(0), "dup/x", MqttQos.AT_LEAST_ONCE, 0, 3);
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(20))
                .until(() -> first.size() >= 3);
        assertThat(first).noneMatch(org.eclipse.paho.client.mqttv3.MqttMessage::isDuplicate);
        sub.disconnectForcibly(0, 100);
        sub.close();

        List<org.eclipse.paho.client.mqttv3.MqttMessage> again =
                java.util.Collections.synchronizedList(new ArrayList<>());
        org.eclipse.paho.client.mqttv3.MqttClient moved = paho(cluster.node(2), "dup-sub");
        moved.setCallback(collect(again));
        assertThat(moved.connectWithResult(opts).getSessionPresent()).isTrue();
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(20))
                .until(() -> again.size() >= 3);
        // [MQTT-3.3.1-1] a redelivery carries DUP, here from the node the session moved to
        assertThat(again).allMatch(org.eclipse.paho.client.mqttv3.MqttMessage::isDuplicate);
        assertThat(again.stream().map(m -> new String(m.getPayload(), StandardCharsets.UTF_8)))
                .containsExactly("m0", "m1", "m2");
        moved.disconnect();
        moved.close();
    }

    private static org.eclipse.paho.client.mqttv3.MqttCallback collect(
            List<org.eclipse.paho.client.mqttv3.MqttMessage> into) {
        return new org.eclipse.paho.client.mqttv3.MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {}

            @Override
            public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage message) {
                into.add(message);
            }

            @Override
            public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {}
        };
    }

    private static org.eclipse.paho.client.mqttv3.MqttClient paho(Berth node, String id)
            throws org.eclipse.paho.client.mqttv3.MqttException {
        return new org.eclipse.paho.client.mqttv3.MqttClient(
                "tcp://127.0.0.1:" + node.port(), id, new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
    }

    @Test
    void connectOnAnotherNode_takesTheSessionOver_andClosesTheOldConnection() throws Exception {
        cluster = new TestCluster(dir, 3).startAll();
        Mqtt5BlockingClient first = clients.client("roamer", cluster.node(0));
        connectPersistent(first);
        first.subscribeWith().topicFilter("roam/#").qos(MqttQos.AT_LEAST_ONCE).send();

        Mqtt5BlockingClient second = clients.client("roamer", cluster.node(1));
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = second.publishes(MqttGlobalPublishFilter.ALL)) {
            assertThat(connectPersistent(second).isSessionPresent()).isTrue();
            // [MQTT-3.1.4-3] the node that held the session closes its connection
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> !first.getState().isConnected());
            publish(cluster.node(1), "roam/x", MqttQos.AT_LEAST_ONCE, 0, 3);
            assertThat(receive(publishes, 3)).isEqualTo(expected("roam/x", 0, 3));
        }
    }

    /** The index of the node that leads the session group, once there is one. */
    private int leader() {
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(20))
                .until(() -> !cluster.node(0).cluster().status().leaderId().isEmpty());
        String id = cluster.node(0).cluster().status().leaderId();
        return Integer.parseInt(id.substring(1)) - 1;
    }

    /**
     * Waits until the group commits what node {@code index} submits (a leader is elected and ready): a
     * node that just came back may otherwise answer a CONNECT before its claim can commit.
     */
    private void serving(int index) {
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(60))
                .ignoreExceptions()
                .until(() ->
                        cluster.node(index).cluster().claim("probe-" + index).get() == null);
    }

    /** Waits until node {@code index} applied everything node {@code from} applied so far. */
    private void caughtUp(int index, int from) {
        long target = cluster.node(from).cluster().status().appliedIndex();
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(20))
                .until(() -> cluster.node(index).cluster().status().appliedIndex() >= target);
    }

    @Test
    void theLeaderStops_theOtherTwoKeepAcknowledging_nothingAcknowledgedIsLost_andItCatchesUp() throws Exception {
        cluster = new TestCluster(dir, 3).startAll();
        int leader = leader();
        int a = (leader + 1) % 3;
        int b = (leader + 2) % 3;
        subscribeAndLeave("meter-1", cluster.node(a), "m/#");
        publish(cluster.node(a), "m/x", MqttQos.AT_LEAST_ONCE, 0, 10);

        cluster.stop(leader);
        publish(cluster.node(a), "m/x", MqttQos.AT_LEAST_ONCE, 10, 10);
        publish(cluster.node(a), "m/x", MqttQos.EXACTLY_ONCE, 20, 10);

        Mqtt5BlockingClient sub = clients.client("meter-1", cluster.node(b));
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL)) {
            assertThat(connectPersistent(sub).isSessionPresent()).isTrue();
            assertThat(receive(publishes, 30)).isEqualTo(expected("m/x", 0, 30));
        }
        sub.disconnect();

        cluster.start(leader); // the former leader rejoins and catches up from the log
        caughtUp(leader, b);
        serving(leader);
        Mqtt5BlockingClient back = clients.client("meter-1", cluster.node(leader));
        assertThat(connectPersistent(back).isSessionPresent()).isTrue();
    }

    @Test
    void aNodeWithoutMajority_answersConnectWithServerUnavailable() {
        cluster = new TestCluster(dir, 3).startAll();
        cluster.stop(0);
        cluster.stop(1);
        Mqtt5BlockingClient c = clients.client("lonely", cluster.node(2));
        // the claim of the session cannot commit: the client is told to go elsewhere (5.0: 0x88)
        assertThatThrownBy(() -> connectPersistent(c))
                .isInstanceOfSatisfying(
                        Mqtt5ConnAckException.class,
                        e -> assertThat(e.getMqttMessage().getReasonCode())
                                .isEqualTo(Mqtt5ConnAckReasonCode.SERVER_UNAVAILABLE));
    }

    @Test
    void retainedMessage_setOnOneNode_reachesANewSubscriberOnAnother() throws Exception {
        cluster = new TestCluster(dir, 3).startAll();
        Mqtt5BlockingClient pub = clients.client("lamp", cluster.node(0));
        pub.connect();
        pub.publishWith()
                .topic("lamp/state")
                .qos(MqttQos.AT_LEAST_ONCE)
                .retain(true)
                .payload("on".getBytes(StandardCharsets.UTF_8))
                .send();
        caughtUp(2, 0);
        Mqtt5BlockingClient sub = clients.client("viewer", cluster.node(2));
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL)) {
            sub.connect();
            sub.subscribeWith().topicFilter("lamp/#").qos(MqttQos.AT_LEAST_ONCE).send();
            // [MQTT-3.3.1-6] a new subscription gets the retained message, here from another node's publish
            Mqtt5Publish p = publishes.receive(20, TimeUnit.SECONDS).orElseThrow();
            assertThat(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("on");
            assertThat(p.isRetain()).isTrue();
        }
        // cleared on node 1: gone on node 3 too [MQTT-3.3.1-10]
        pub.publishWith()
                .topic("lamp/state")
                .qos(MqttQos.AT_LEAST_ONCE)
                .retain(true)
                .send();
        caughtUp(2, 0);
        Mqtt5BlockingClient late = clients.client("late-viewer", cluster.node(2));
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = late.publishes(MqttGlobalPublishFilter.ALL)) {
            late.connect();
            late.subscribeWith()
                    .topicFilter("lamp/#")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            assertThat(publishes.receive(500, TimeUnit.MILLISECONDS)).isEmpty();
        }
    }

    @Test
    void twoNodesStop_theSessionResumesOnARestartedOne_withWhatTheStoppedNodesAcknowledged() throws Exception {
        cluster = new TestCluster(dir, 3).startAll();
        subscribeAndLeave("sensor-1", cluster.node(1), "s/#");
        publish(cluster.node(1), "s/a", MqttQos.AT_LEAST_ONCE, 0, 10);

        cluster.stop(0); // whichever node leads, two of three remain
        publish(cluster.node(1), "s/a", MqttQos.EXACTLY_ONCE, 10, 10);
        cluster.stop(1); // the node the session lived on goes too; the third alone cannot commit

        cluster.start(0); // back with a majority: node 1 catches up on what it missed
        serving(0);
        Mqtt5BlockingClient sub = clients.client("sensor-1", cluster.node(0));
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL)) {
            assertThat(connectPersistent(sub).isSessionPresent()).isTrue();
            assertThat(receive(publishes, 20)).isEqualTo(expected("s/a", 0, 20));
        }
    }
}
