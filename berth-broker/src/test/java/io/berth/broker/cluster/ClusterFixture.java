package io.berth.broker.cluster;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a test of a cluster of brokers in this JVM needs: a folder of its own, the cluster the test starts
 * there ({@link #cluster}), and clients of its nodes. After each test the clients are let go, then every
 * node still running is stopped, also when letting a client go failed, so that no Raft server or broker
 * outlives its test.
 *
 * <p>Threading: the test thread.
 */
abstract class ClusterFixture {
    @TempDir
    Path dir;

    /** The cluster the test started, if any. */
    TestCluster cluster;

    final ClusterClients clients = new ClusterClients();

    @AfterEach
    void stopClusterAndClients() {
        try {
            clients.close();
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }
}
