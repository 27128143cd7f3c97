package io.berth.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.broker.store.SessionRecord;
import io.berth.broker.store.StoreCommand;
import io.berth.codec.MqttVersion;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a SUBACK waits for on a cluster node (ADR 16 and its addenda): every other member that answers has
 * applied the log as far as this node had when the wait began; a member that is down is given up, and is
 * waited for again once it is back.
 */
class AppliedBarrierTest {
    @TempDir
    Path dir;

    private final ClusterNode[] nodes = new ClusterNode[3];
    private TestCluster layout;

    @AfterEach
    void stop() {
        for (ClusterNode n : nodes) {
            if (n != null) {
                n.close();
            }
        }
    }

    private void start(int i) {
        nodes[i] = ClusterNode.start(layout.configToStart(i), (commands, nanos) -> {});
    }

    private static List<StoreCommand> session(String client) {
        return List.of(new StoreCommand.PutSession(new SessionRecord(client, MqttVersion.V5, 3600, 0, null, "")));
    }

    /** Submits an entry on {@code node}, then waits as a SUBACK there would; the index it waited for. */
    private long submitAndWait(int node, String client) throws Exception {
        nodes[node].submit(session(client)).get(30, TimeUnit.SECONDS);
        long index = nodes[node].appliedIndex();
        nodes[node].appliedEverywhere().get(30, TimeUnit.SECONDS);
        return index;
    }

    @Test
    void appliedEverywhere_fromAFreshGroup_onEveryNode_waitsUntilEveryOtherMemberApplied() throws Exception {
        layout = new TestCluster(dir, 3);
        for (int i = 0; i < 3; i++) {
            start(i);
        }
        for (int round = 0; round < 12; round++) {
            int node = round % 3;
            long index = submitAndWait(node, "c" + round);
            for (int other = 0; other < 3; other++) {
                // right when the wait completes, not eventually: a publish there now is routed by the entry
                assertThat(nodes[other].appliedIndex())
                        .as("round %d: node %d after the wait of node %d", round, other, node)
                        .isGreaterThanOrEqualTo(index);
            }
            // members that answer are never given up: the first asks of a fresh group included (they once
            // went unanswered for Ratis' request timeout, and the wait was given up after 2 s)
            assertThat(nodes[node].notWaitedFor()).as("round %d", round).isEmpty();
        }
    }

    @Test
    void aMemberThatIsDown_isGivenUp_andWaitedForAgainOnceBack() throws Exception {
        layout = new TestCluster(dir, 3);
        for (int i = 0; i < 3; i++) {
            start(i);
        }
        submitAndWait(0, "before");
        nodes[2].close();
        nodes[2] = null;

        // the wait completes without the member that is down, and later ones do not wait for it
        long index = submitAndWait(0, "while-down");
        assertThat(nodes[0].notWaitedFor()).containsExactly("n3");
        assertThat(nodes[1].appliedIndex()).isGreaterThanOrEqualTo(index);
        submitAndWait(0, "still-down");

        start(2);
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            submitAndWait(0, "back");
            assertThat(nodes[0].notWaitedFor()).isEmpty();
        });
        long after = submitAndWait(0, "after");
        assertThat(nodes[2].appliedIndex()).isGreaterThanOrEqualTo(after);
    }
}
