package io.berth.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.berth.broker.Berth;
import io.berth.broker.RawClient;
import io.berth.broker.config.ClusterConfig;
import io.berth.codec.MqttProperties;
import io.berth.codec.MqttVersion;
import io.berth.codec.PublishPacket;
import io.berth.codec.QoS;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sessions of a node that dies (its Raft server stops first, so nothing of its connections' ends reaches
 * the others) or restarts are not orphaned (ADR 14): the leader adopts them after the grace period, or the
 * restarted node serves them again, and their wills go out and they expire as on a single node, with real
 * MQTT 5.0 clients.
 */
class ClusterOrphanTest {
    private static final long GRACE_MILLIS = 1_000;

    @TempDir
    Path dir;

    private TestCluster cluster;
    private final ClusterClients clients = new ClusterClients();

    @AfterEach
    void stop() {
        clients.close();
        if (cluster != null) {
            cluster.close();
        }
    }

    private void start(long graceMillis) {
        cluster = new TestCluster(dir, 3)
                .tuning(ClusterConfig.Tuning.DEFAULT.withOrphanGrace(graceMillis))
                .startAll();
        for (int i = 0; i < 3; i++) {
            serving(i);
        }
    }

    /** Waits until the group commits what node {@code index} submits (a leader is elected and ready). */
    private void serving(int index) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .ignoreExceptions()
                .until(() ->
                        cluster.node(index).cluster().claim("probe-" + index).get() == null);
    }

    private int leader() {
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(() -> !cluster.node(0).cluster().status().leaderId().isEmpty());
        String id = cluster.node(0).cluster().status().leaderId();
        return Integer.parseInt(id.substring(1)) - 1;
    }

    /** A persistent watcher of {@code status/#} on {@code node}, its subscription applied on every node. */
    private Mqtt5BlockingClient.Mqtt5Publishes watcher(Berth node) {
        Mqtt5BlockingClient w = clients.client("watcher", node);
        Mqtt5BlockingClient.Mqtt5Publishes publishes = w.publishes(MqttGlobalPublishFilter.ALL);
        w.connectWith().cleanStart(true).sessionExpiryInterval(3600).send();
        w.subscribeWith().topicFilter("status/#").qos(MqttQos.AT_LEAST_ONCE).send();
        return publishes;
    }

    /** Connects {@code id} to {@code node} with a will to {@code status/<id>}, delayed by {@code willDelay} s. */
    private void connectWithWill(String id, Berth node, long expiry, long willDelay) {
        clients.client(id, node)
                .connectWith()
                .cleanStart(true)
                .sessionExpiryInterval(expiry)
                .willPublish()
                .topic("status/" + id)
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload("gone".getBytes(StandardCharsets.UTF_8))
                .delayInterval(willDelay)
                .applyWillPublish()
                .send();
    }

    private static String text(Mqtt5Publish p) {
        return p.getTopic() + "=" + new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8);
    }

    private void awaitGone(String clientId, int... nodes) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (int n : nodes) {
                if (cluster.node(n).cluster().owner(clientId) != null) {
                    return false;
                }
            }
            return true;
        });
    }

    @Test
    void nodeDies_theWillOfItsClientReachesASubscriberOnAnotherNode_once() throws Exception {
        start(GRACE_MILLIS);
        int leader = leader();
        int a = (leader + 1) % 3;
        int b = (leader + 2) % 3;
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = watcher(cluster.node(b))) {
            connectWithWill("device-1", cluster.node(a), 60, 0);

            cluster.crash(a);

            // [MQTT-3.1.2-8] the will is published when the network connection closes without DISCONNECT:
            // here the node holding it died, and the leader adopted the session after the grace period
            Mqtt5Publish will = publishes.receive(30, TimeUnit.SECONDS).orElseThrow();
            assertThat(text(will)).isEqualTo("status/device-1=gone");
            assertThat(publishes.receive(2, TimeUnit.SECONDS))
                    .as("the will goes once")
                    .isEmpty();
        }
    }

    @Test
    void nodeDies_theWillOfASessionThatEndsWithItsConnection_goesOnce_andItsSubscriptionsLeaveTheOthers()
            throws Exception {
        start(GRACE_MILLIS);
        int leader = leader();
        int a = (leader + 1) % 3;
        int b = (leader + 2) % 3;
        String dying = "n" + (a + 1);
        Mqtt5BlockingClient ending = clients.client("ending-watcher", cluster.node(leader));
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = watcher(cluster.node(b));
                Mqtt5BlockingClient.Mqtt5Publishes toEnding = ending.publishes(MqttGlobalPublishFilter.ALL)) {
            ending.connectWith().cleanStart(true).send(); // Session Expiry 0
            ending.subscribeWith()
                    .topicFilter("status/#")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            connectWithWill("device-5", cluster.node(a), 0, 0);
            Mqtt5BlockingClient listener = clients.client("listener-5", cluster.node(a));
            listener.connectWith().cleanStart(true).send();
            listener.subscribeWith().topicFilter("elsewhere/#").send();
            assertThat(cluster.node(b).cluster().relayNodes("elsewhere/x", "p")).containsExactly(dying);

            cluster.crash(a);

            // [MQTT-3.1.2-8] the will goes when the connection closes without DISCONNECT; the session ended
            // with it (Session Expiry 0), on a node that died: the node that adopted its sessions sends it
            Mqtt5Publish will = publishes.receive(30, TimeUnit.SECONDS).orElseThrow();
            assertThat(text(will)).isEqualTo("status/device-5=gone");
            assertThat(text(toEnding.receive(30, TimeUnit.SECONDS).orElseThrow()))
                    .isEqualTo("status/device-5=gone");
            assertThat(publishes.receive(2, TimeUnit.SECONDS))
                    .as("the will goes once")
                    .isEmpty();
            assertThat(toEnding.receive(100, TimeUnit.MILLISECONDS)).isEmpty();
            // nothing of the dead node's sessions is left on the others
            for (int n : new int[] {leader, b}) {
                assertThat(cluster.node(n).cluster().relayNodes("elsewhere/x", "p"))
                        .as("node %d", n)
                        .isEmpty();
            }
        }
    }

    @Test
    void nodeDies_itsClientResumesOnAnotherNodeBeforeTheGrace_theWillWithoutDelayGoesOnce() throws Exception {
        start(60_000); // nobody adopts: the node the client comes back to sends the will
        int leader = leader();
        int a = (leader + 1) % 3;
        int b = (leader + 2) % 3;
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = watcher(cluster.node(b))) {
            connectWithWill("device-4", cluster.node(a), 60, 0);

            cluster.crash(a);
            Mqtt5BlockingClient again = clients.client("device-4", cluster.node(leader));
            assertThat(again.connectWith()
                            .cleanStart(false)
                            .sessionExpiryInterval(60)
                            .send()
                            .isSessionPresent())
                    .isTrue();

            // [MQTT-3.1.4-3] [MQTT-3.1.2-8] the former connection is gone without DISCONNECT: its will goes
            Mqtt5Publish will = publishes.receive(30, TimeUnit.SECONDS).orElseThrow();
            assertThat(text(will)).isEqualTo("status/device-4=gone");
            assertThat(publishes.receive(2, TimeUnit.SECONDS))
                    .as("the will goes once")
                    .isEmpty();
        }
    }

    @Test
    void nodeDies_aClientThatResumesOnAnotherNodeWithinItsWillDelay_sendsNoWill() throws Exception {
        start(GRACE_MILLIS);
        int leader = leader();
        int a = (leader + 1) % 3;
        int b = (leader + 2) % 3;
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = watcher(cluster.node(b))) {
            connectWithWill("device-2", cluster.node(a), 60, 4);

            cluster.crash(a);
            Mqtt5BlockingClient again = clients.client("device-2", cluster.node(b));
            boolean present;
            try {
                present = again.connectWith()
                        .cleanStart(false)
                        .sessionExpiryInterval(60)
                        .send()
                        .isSessionPresent();
            } catch (Mqtt5DisconnectException e) {
                throw new AssertionError("DISCONNECT " + e.getMqttMessage().getReasonCode() + " before CONNACK", e);
            }
            assertThat(present).isTrue();

            // [MQTT-3.1.3-9] the session resumed before its Will Delay Interval passed: no will
            assertThat(publishes.receive(6, TimeUnit.SECONDS)).isEmpty();
        }
    }

    @Test
    void nodeDies_aQos2MessageItSentUnanswered_goesAgainWithDup_fromANodeThatDidNotAdoptTheSession() throws Exception {
        start(GRACE_MILLIS);
        int leader = leader();
        int a = (leader + 1) % 3;
        int b = (leader + 2) % 3;
        MqttProperties persistent =
                MqttProperties.builder().sessionExpiryInterval(3600L).build();
        PublishPacket first;
        try (RawClient device = RawClient.open(cluster.node(a).port(), MqttVersion.V5)) {
            device.connect("q2-device", true, persistent, null);
            device.subscribe(1, "q2/#", QoS.EXACTLY_ONCE);
            Mqtt5BlockingClient pub = clients.client("q2-publisher", cluster.node(leader));
            pub.connect();
            pub.publishWith()
                    .topic("q2/x")
                    .qos(MqttQos.EXACTLY_ONCE)
                    .payload("m0".getBytes(StandardCharsets.UTF_8))
                    .send();
            first = device.expect(PublishPacket.class); // left unanswered: no PUBREC
            assertThat(first.dup()).isFalse();

            cluster.crash(a);
        }
        // the leader adopts the session after the grace period and records it as offline from then
        String leaderId = "n" + (leader + 1);
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> leaderId.equals(cluster.node(b).cluster().owner("q2-device")));

        try (RawClient again = RawClient.open(cluster.node(b).port(), MqttVersion.V5)) {
            assertThat(again.connect("q2-device", false, persistent, null).sessionPresent())
                    .isTrue();
            // [MQTT-4.4.0-1] [MQTT-3.3.1-1] the node that died sent it and its record of the send died
            // with it: the send again carries DUP and the same packet identifier, whichever node makes it
            PublishPacket resent = again.expect(PublishPacket.class);
            assertThat(resent.packetId()).isEqualTo(first.packetId());
            assertThat(resent.dup()).isTrue();
            assertThat(new String(resent.payload(), StandardCharsets.UTF_8)).isEqualTo("m0");
        }
    }

    @Test
    void leaderDies_itsSessionsExpireAfterTheirExpiryInterval_theLongerOneKeepsItsQueue() throws Exception {
        start(GRACE_MILLIS);
        int dead = leader();
        int b = (dead + 1) % 3;
        int c = (dead + 2) % 3;
        for (String id : List.of("short-lived", "long-lived")) {
            Mqtt5BlockingClient s = clients.client(id, cluster.node(dead));
            s.connectWith()
                    .cleanStart(true)
                    .sessionExpiryInterval(id.equals("short-lived") ? 2 : 3600)
                    .send();
            s.subscribeWith().topicFilter("q/#").qos(MqttQos.AT_LEAST_ONCE).send();
        }

        cluster.crash(dead);
        Mqtt5BlockingClient pub = clients.client("publisher", cluster.node(b));
        pub.connect();
        for (int i = 0; i < 3; i++) {
            pub.publishWith()
                    .topic("q/x")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload(("m" + i).getBytes(StandardCharsets.UTF_8))
                    .send();
        }

        // [MQTT-3.1.2-23] the session state is kept for the Session Expiry Interval only, here counted by
        // the node that adopted it; once it is deleted everywhere a new connection starts afresh
        awaitGone("short-lived", b, c);
        assertThat(clients.client("short-lived", cluster.node(b))
                        .connectWith()
                        .cleanStart(false)
                        .sessionExpiryInterval(60)
                        .send()
                        .isSessionPresent())
                .isFalse();

        Mqtt5BlockingClient back = clients.client("long-lived", cluster.node(c));
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = back.publishes(MqttGlobalPublishFilter.ALL)) {
            // [MQTT-3.2.2-3] the session is still there, with what was queued for it while its node was gone
            assertThat(back.connectWith()
                            .cleanStart(false)
                            .sessionExpiryInterval(3600)
                            .send()
                            .isSessionPresent())
                    .isTrue();
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Optional<Mqtt5Publish> p = publishes.receive(20, TimeUnit.SECONDS);
                got.add(p.map(ClusterOrphanTest::text).orElse("nothing"));
            }
            assertThat(got).containsExactly("q/x=m0", "q/x=m1", "q/x=m2");
        }
    }

    @Test
    void nodeRestartsWithinTheGrace_servesItsSessionsAgain_willAndExpiryRunThere() throws Exception {
        start(60_000); // the leader does not adopt: the restarted node must serve its own sessions
        int leader = leader();
        int a = (leader + 1) % 3;
        int b = (leader + 2) % 3;
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = watcher(cluster.node(b))) {
            connectWithWill("device-3", cluster.node(a), 2, 0);

            cluster.crash(a);
            cluster.start(a);

            Mqtt5Publish will = publishes.receive(60, TimeUnit.SECONDS).orElseThrow();
            assertThat(text(will)).isEqualTo("status/device-3=gone");
            awaitGone("device-3", a, b);
        }
    }
}
