package io.berth.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.broker.store.QueueEntry;
import io.berth.broker.store.RecoveredSession;
import io.berth.broker.store.SessionRecord;
import io.berth.broker.store.StoreCommand;
import io.berth.broker.store.StoredMessage;
import io.berth.codec.MqttProperties;
import io.berth.codec.MqttVersion;
import io.berth.codec.QoS;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The session group below the broker: store submissions through the log, claims and fencing. */
class ReplicationTest {
    @TempDir
    Path dir;

    private final ClusterNode[] nodes = new ClusterNode[3];

    @AfterEach
    void stop() {
        List<Runnable> closes = new ArrayList<>();
        for (ClusterNode n : nodes) {
            if (n != null) {
                closes.add(n::close);
            }
        }
        TestCluster.sideBySide(closes); // a second or more each (see TestCluster#close)
    }

    private TestCluster layout;

    private void startAll() {
        layout = new TestCluster(dir, 3);
        for (int i = 0; i < 3; i++) {
            nodes[i] = ClusterNode.start(layout.configToStart(i), (commands, nanos) -> {});
        }
    }

    private static StoreCommand.Enqueue enqueue(String client, long seq, long id) {
        StoredMessage m = new StoredMessage(
                id, "t", new byte[] {(byte) seq}, QoS.AT_LEAST_ONCE, false, MqttProperties.EMPTY, 0, "p");
        return new StoreCommand.Enqueue(client, new QueueEntry(seq, id, QoS.AT_LEAST_ONCE, false, List.of()), m);
    }

    private static StoreCommand session(String client) {
        return new StoreCommand.PutSession(new SessionRecord(client, MqttVersion.V5, 3600, 0, null, ""));
    }

    private static void await(java.util.concurrent.CompletableFuture<?> f) throws Exception {
        f.get(30, TimeUnit.SECONDS);
    }

    private RecoveredSession read(int node, String client) {
        return ((ReplicatedSessionStore) nodes[node].store()).localSession(client);
    }

    @Test
    void aSubmission_isOnEveryReplica_andTheSubmitterReadsItOnceAcknowledged() throws Exception {
        startAll();
        await(nodes[0].store().submit(List.of(session("c1"), enqueue("c1", 0, 1), enqueue("c1", 1, 2))));
        // acknowledged = committed and applied on the submitting node: its reads see it at once
        assertThat(read(0, "c1").queuedCount()).isEqualTo(2);
        assertThat(nodes[0].store().readQueue("c1", 0, 10, 10)).hasSize(2);
        for (int i = 1; i < 3; i++) {
            int node = i;
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(20))
                    .until(() -> read(node, "c1") != null && read(node, "c1").queuedCount() == 2);
        }
        assertThat(nodes[0].owner("c1")).isEqualTo("n1");
    }

    @Test
    void afterAClaim_theFormerOwnersWritesToTheSessionAreDropped_everywhere() throws Exception {
        startAll();
        await(nodes[0].store().submit(List.of(session("c1"), enqueue("c1", 0, 1))));
        RecoveredSession claimed = nodes[1].claim("c1").get(30, TimeUnit.SECONDS);
        assertThat(claimed.queuedCount()).isEqualTo(1);
        assertThat(nodes[1].owner("c1")).isEqualTo("n2");

        // node 1 has not heard yet, or ignores it: its write to c1 is dropped, its other writes apply
        await(nodes[0].store().submit(List.of(enqueue("c1", 1, 2), session("c2"), enqueue("c2", 0, 2))));
        await(nodes[1].store().submit(List.of(enqueue("c1", 1, 3))));
        for (int i = 0; i < 3; i++) {
            int node = i;
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(20))
                    .until(() -> read(node, "c2") != null && read(node, "c1").queuedCount() == 2);
            List<Long> ids = nodes[node].store().readQueue("c1", 0, 10, 10).stream()
                    .map(q -> q.message().id())
                    .toList();
            assertThat(ids).as("queue of c1 on n%d", node + 1).containsExactly(1L, 3L);
            // the former owner's message is not lost: it waits in the session's inbox for n2 (ADR 13)
            assertThat(nodes[node].inbox("c1", -1, 10).stream()
                            .map(f -> f.message().id())
                            .toList())
                    .as("inbox of c1 on n%d", node + 1)
                    .containsExactly(2L);
        }
        // an inbound QoS 2 id of a lost session must not commit without its message's entries (ADR 2)
        assertThatThrownBy(() ->
                        await(nodes[0].store().submit(List.of(new StoreCommand.PutInbound("c1", 7), session("c3")))))
                .hasMessageContaining("belongs to node n2");
        assertThat(read(0, "c3")).isNull();
    }

    @Test
    void aRestartedNode_resumesAfterWhatItsReplicaHolds_andCatchesUp() throws Exception {
        startAll();
        await(nodes[0].store().submit(List.of(session("c1"), enqueue("c1", 0, 1))));
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(20))
                .until(() -> read(2, "c1") != null);
        nodes[2].close();
        nodes[2] = null;
        await(nodes[0].store().submit(List.of(enqueue("c1", 1, 2))));
        nodes[2] = ClusterNode.start(layout.configToStart(2), (commands, nanos) -> {});
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(20))
                .until(() -> read(2, "c1").queuedCount() == 2);
        // applied once, not twice: the queue holds two entries, as on the submitter
        assertThat(read(2, "c1").queueTail()).isEqualTo(2);
    }
}
