package io.berth.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.berth.broker.config.ClusterConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Snapshots bound the Raft log: with a snapshot every 40 entries and small log segments, the log behind
 * the latest snapshot is purged, and a node that was down meanwhile catches up from the leader's
 * snapshot (RocksDB checkpoint files sent by Ratis) and serves a resumed session with every message.
 */
class ClusterSnapshotTest extends ClusterFixture {
    private static final int MESSAGES = 200;

    private GroupStatus status(int node) {
        return cluster.node(node).cluster().groupStatus();
    }

    @Test
    void aNodeBehindThePurgedLog_catchesUpFromTheSnapshot_andServesTheResumedSession() throws Exception {
        cluster = new TestCluster(dir, 3)
                .tuning(new ClusterConfig.Tuning(3_000, 40, 4096))
                .startAll();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> status(0).leaderId() != null);
        int leader = Integer.parseInt(status(0).leaderId().substring(1)) - 1;
        int serving = (leader + 1) % 3;
        int down = (leader + 2) % 3;

        Mqtt5BlockingClient sub = clients.client("snap-sub", cluster.node(serving));
        sub.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
        sub.subscribeWith().topicFilter("snap/#").qos(MqttQos.AT_LEAST_ONCE).send();
        sub.disconnect();
        long left = status(down).appliedIndex();
        cluster.stop(down);

        Mqtt5BlockingClient pub = clients.client("snap-pub", cluster.node(serving));
        pub.connect();
        for (int i = 0; i < MESSAGES; i++) {
            pub.publishWith()
                    .topic("snap/x")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload(("m" + i).getBytes(StandardCharsets.UTF_8))
                    .send();
        }
        pub.disconnect();
        // the leader took snapshots and purged its log past where the stopped node left off
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() ->
                        status(leader).snapshotIndex() > left && status(leader).logStartIndex() > left + 1);

        cluster.start(down);
        long target = status(leader).snapshotIndex();
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .until(() ->
                        status(down).snapshotIndex() >= target && status(down).appliedIndex() >= target);

        // caught up with all the leader committed (the leader's own entries may make it install once more)
        long committed = status(leader).commitIndex();
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .until(() -> status(down).appliedIndex() >= committed);

        Mqtt5BlockingClient back = clients.client("snap-sub", cluster.node(down));
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = back.publishes(MqttGlobalPublishFilter.ALL)) {
            // [MQTT-3.2.2-3] the session, held in the snapshot the node installed, resumes there
            assertThat(resume(back)).isTrue();
            for (int i = 0; i < MESSAGES; i++) {
                Mqtt5Publish p = publishes
                        .receive(20, TimeUnit.SECONDS)
                        .orElseThrow(() -> new AssertionError("a queued message did not come"));
                assertThat(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8))
                        .isEqualTo("m" + i);
            }
        }
    }

    /**
     * CONNECTs with the session kept; a claim that a further snapshot installation overtook is refused with
     * Server unavailable (its outcome is not known on this node), and a device connects again: so does
     * this, three times at most. Returns Session Present.
     */
    @Test
    void aClaimWhoseOutcomeASnapshotMadeUnknown_isMadeAgain_andTheNodeOwnsTheSession() throws Exception {
        cluster = new TestCluster(dir, 3).startAll();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> status(0).leaderId() != null);
        ClusterNode node = cluster.node(1).cluster();

        // what a snapshot installed while the claim waits does to it (SessionStateMachine.reinitialize):
        // the claim is on its way to the leader, and no longer known to have been applied or not
        CompletableFuture<?> claim = node.claim("unknown-outcome");
        node.submissions().abandonAll(seq -> new OutcomeUnknownException("a snapshot replaced the replica"));

        // the CONNECT waiting for it goes on instead of hearing Server unavailable
        assertThat(claim).succeedsWithin(Duration.ofSeconds(30));
        assertThat(node.owns("unknown-outcome")).isTrue();
    }

    /**
     * Resumes the session; once. (A further snapshot installation may overtake the claim of the CONNECT:
     * the node then claims again itself, {@link ClusterNode#claim}, and the client hears nothing of it.)
     */
    private static boolean resume(Mqtt5BlockingClient c) {
        return c.connectWith()
                .cleanStart(false)
                .sessionExpiryInterval(3600)
                .send()
                .isSessionPresent();
    }
}
