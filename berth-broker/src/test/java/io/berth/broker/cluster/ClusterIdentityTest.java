package io.berth.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.broker.Berth;
import io.berth.broker.config.BrokerConfig;
import io.berth.broker.config.ClusterConfig;
import io.berth.broker.config.Durability;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node stops at start when its data folder belongs to another node, cluster or a single node. */
class ClusterIdentityTest {
    @TempDir
    Path dir;

    private static final ClusterConfig.Member N1 = ClusterConfig.Member.parse("n1@127.0.0.1:7001");
    private static final ClusterConfig.Member N2 = ClusterConfig.Member.parse("n2@127.0.0.1:7002");
    private static final ClusterConfig.Member N3 = ClusterConfig.Member.parse("n3@127.0.0.1:7003");

    private static ClusterConfig of(ClusterConfig.Member self, ClusterConfig.Member... members) {
        return new ClusterConfig(self.id(), self.address(), List.of(members));
    }

    @Test
    void firstStart_recordsTheCluster_andTheSameConfigPassesAgain() {
        ClusterIdentity.check(dir, of(N1, N1, N2, N3));
        assertThat(dir.resolve(ClusterIdentity.FILE)).exists();
        ClusterIdentity.check(dir, of(N1, N1, N2, N3));
    }

    @Test
    void anotherNodeId_onTheSameFolder_fails() {
        ClusterIdentity.check(dir, of(N1, N1, N2, N3));
        assertThatThrownBy(() -> ClusterIdentity.check(dir, of(N2, N1, N2, N3)))
                .hasMessageContaining("belongs to node 'n1'")
                .hasMessageContaining("cluster.node-id is 'n2'")
                .hasMessageContaining(dir.toAbsolutePath().toString());
    }

    @Test
    void membersThatDisagreeWithTheStoredList_fail() {
        ClusterIdentity.check(dir, of(N1, N1, N2, N3));
        assertThatThrownBy(() -> ClusterIdentity.check(dir, of(N1, N1, N2)))
                .hasMessageContaining("cluster.members [n1@127.0.0.1:7001, n2@127.0.0.1:7002] disagrees")
                .hasMessageContaining("[n1@127.0.0.1:7001, n2@127.0.0.1:7002, n3@127.0.0.1:7003]");
    }

    @Test
    void folderOfASingleNode_isNotTakenByAClusterNode_norTheOtherWayRound() throws Exception {
        Path single = dir.resolve("single");
        Berth.builder().port(0).dataDir(single).build().start().close();
        assertThatThrownBy(() -> ClusterIdentity.check(single, of(N1, N1, N2, N3)))
                .hasMessageContaining("holds the store of a single-node broker");

        Path node = dir.resolve("node");
        ClusterIdentity.check(node, of(N1, N1, N2, N3));
        assertThatThrownBy(() -> Berth.builder()
                        .port(0)
                        .dataDir(node)
                        .durability(Durability.OS)
                        .build()
                        .start())
                .hasMessageContaining("belongs to a cluster node");
        assertThat(Files.list(node).map(p -> p.getFileName().toString())).containsExactly(ClusterIdentity.FILE);
    }

    @Test
    void aClusterPortInUse_stopsTheStart_withAMessageThatNamesIt_andTheProcessLives() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            ClusterConfig.Member self =
                    new ClusterConfig.Member("n1", new ClusterConfig.Address("127.0.0.1", taken.getLocalPort()));
            BrokerConfig config = BrokerConfig.builder()
                    .port(0)
                    .adminPort(-1)
                    .durability(Durability.OS)
                    .dataDir(dir.resolve("n1"))
                    .cluster(of(self, self, N2, N3))
                    .build();
            // before the check, Ratis ended the whole JVM when its gRPC server could not bind
            assertThatThrownBy(() -> Berth.builder().config(config).build().start())
                    .hasMessageContaining("cluster.bind 127.0.0.1:" + taken.getLocalPort())
                    .hasMessageContaining("cannot be listened on");
        }
        // nothing was opened: the same folder starts once the port is free
        assertThat(dir.resolve("n1").resolve("store")).doesNotExist();
    }
}
