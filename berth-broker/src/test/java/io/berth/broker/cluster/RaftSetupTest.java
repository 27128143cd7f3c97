package io.berth.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.broker.config.ClusterConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Raft server's properties that the cluster's speed and availability depend on (ADR 11, 15). */
class RaftSetupTest {
    @TempDir
    Path dir;

    private static final ClusterConfig.Member N1 = ClusterConfig.Member.parse("n1@127.0.0.1:7001");
    private static final ClusterConfig.Member N2 = ClusterConfig.Member.parse("n2@127.0.0.1:7002");
    private static final ClusterConfig.Member N3 = ClusterConfig.Member.parse("n3@127.0.0.1:7003");

    private RaftProperties server() {
        return RaftSetup.server(new ClusterConfig(N1.id(), N1.address(), List.of(N1, N2, N3)), dir);
    }

    @Test
    void server_writesACommitEntryAfterEachCommit() {
        // it tells the followers of a commit at once; without it a follower's PUBACK waited for a heartbeat
        // (ADR 15 addendum)
        assertThat(RaftServerConfigKeys.Log.logMetadataEnabled(server())).isTrue();
    }

    @Test
    void server_electsAfterOneToTwoSeconds_withoutALeader() {
        RaftProperties p = server();
        assertThat(RaftServerConfigKeys.Rpc.timeoutMin(p).toLong(TimeUnit.MILLISECONDS))
                .isEqualTo(1_000);
        assertThat(RaftServerConfigKeys.Rpc.timeoutMax(p).toLong(TimeUnit.MILLISECONDS))
                .isEqualTo(2_000);
    }
}
