package io.berth.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterSectionTest {
    @TempDir
    Path dir;

    private BrokerConfig read(String yaml) throws IOException {
        Path file = dir.resolve("berth.yml");
        Files.writeString(file, yaml);
        return ConfigFile.read(file);
    }

    @Test
    void noSection_isTheSingleNode() throws IOException {
        assertThat(read("port: 1884\n").cluster()).isEqualTo(ClusterConfig.NONE);
        assertThat(ClusterConfig.NONE.enabled()).isFalse();
    }

    @Test
    void section_asTheIssueWritesIt() throws IOException {
        ClusterConfig c = read("""
                port: 1884
                cluster:
                  node-id: n2
                  bind: 127.0.0.1:7002
                  members: [n1@127.0.0.1:7001, n2@127.0.0.1:7002, n3@127.0.0.1:7003]
                """).cluster();
        assertThat(c.enabled()).isTrue();
        assertThat(c.nodeId()).isEqualTo("n2");
        assertThat(c.bind()).isEqualTo(new ClusterConfig.Address("127.0.0.1", 7002));
        assertThat(c.members()).extracting(ClusterConfig.Member::id).containsExactly("n1", "n2", "n3");
        assertThat(c.self().address().port()).isEqualTo(7002);
        assertThat(ClusterConfig.ids(c.members()))
                .isEqualTo("[n1@127.0.0.1:7001, n2@127.0.0.1:7002, n3@127.0.0.1:7003]");
    }

    @Test
    void nodeIdNotInMembers_failsNamingTheKeyAndTheList() {
        assertThatThrownBy(() -> read("""
                cluster:
                  node-id: n4
                  bind: 127.0.0.1:7004
                  members: [n1@127.0.0.1:7001, n2@127.0.0.1:7002]
                """))
                .hasMessageContaining("berth.yml")
                .hasMessageContaining("cluster.node-id: 'n4' is not in cluster.members")
                .hasMessageContaining("n1@127.0.0.1:7001");
    }

    @Test
    void malformedMember_failsNamingIt() {
        assertThatThrownBy(() -> read("""
                cluster:
                  node-id: n1
                  bind: 127.0.0.1:7001
                  members: [n1@127.0.0.1:7001, n2-127.0.0.1:7002]
                """))
                .hasMessageContaining("cluster.members: member 'n2-127.0.0.1:7002' is not id@host:port");
        assertThatThrownBy(() -> ClusterConfig.Member.parse("n2@127.0.0.1:http"))
                .hasMessageContaining("the port is not a number");
        assertThatThrownBy(() -> ClusterConfig.Member.parse("n 2@127.0.0.1:7002"))
                .hasMessageContaining("node id 'n 2'");
    }

    @Test
    void duplicateIdsOrAddresses_fail() {
        ClusterConfig.Address a = new ClusterConfig.Address("127.0.0.1", 7001);
        ClusterConfig.Address b = new ClusterConfig.Address("127.0.0.1", 7002);
        assertThatThrownBy(() -> new ClusterConfig(
                        "n1", a, List.of(new ClusterConfig.Member("n1", a), new ClusterConfig.Member("n1", b))))
                .hasMessageContaining("node id 'n1' appears twice");
        assertThatThrownBy(() -> new ClusterConfig(
                        "n1", a, List.of(new ClusterConfig.Member("n1", a), new ClusterConfig.Member("n2", a))))
                .hasMessageContaining("address 127.0.0.1:7001 appears twice");
    }

    @Test
    void missingOrUnknownKeys_fail() {
        assertThatThrownBy(() -> read("cluster:\n  node-id: n1\n  members: [n1@127.0.0.1:7001]\n"))
                .hasMessageContaining("cluster.bind: missing");
        assertThatThrownBy(
                        () -> read(
                                "cluster:\n  node-id: n1\n  bind: 127.0.0.1:7001\n  members: [n1@127.0.0.1:7001]\n  peers: 3\n"))
                .hasMessageContaining("cluster.peers: unknown option");
        assertThatThrownBy(() -> read("cluster:\n  node-id: n1\n  bind: localhost\n  members: [n1@127.0.0.1:7001]\n"))
                .hasMessageContaining("cluster.bind: 'localhost' is not host:port");
    }

    @Test
    void theMemoryStore_isRefusedForAClusterNode_whenTheFileIsRead() {
        String cluster = "cluster:\n  node-id: n1\n  bind: 127.0.0.1:7001\n  members: [n1@127.0.0.1:7001]\n";
        assertThatThrownBy(() -> read("durability: memory\n" + cluster))
                .hasMessageContaining("durability: memory keeps nothing to replicate");
    }

    @Test
    void tuning_defaultsUnlessGiven_andIsChecked() throws IOException {
        String head = "cluster:\n  node-id: n1\n  bind: 127.0.0.1:7001\n  members: [n1@127.0.0.1:7001]\n";
        assertThat(read(head).cluster().tuning()).isEqualTo(ClusterConfig.Tuning.DEFAULT);
        ClusterConfig.Tuning t = read(head + "  majority-timeout: 5s\n  snapshot-every: 2000\n")
                .cluster()
                .tuning();
        assertThat(t.majorityTimeoutMillis()).isEqualTo(5_000);
        assertThat(t.snapshotEvery()).isEqualTo(2_000);
        assertThatThrownBy(() -> read(head + "  snapshot-every: 0\n")).hasMessageContaining("cluster.snapshot-every");
        assertThatThrownBy(() -> read(head + "  majority-timeout: soon\n"))
                .hasMessageContaining("cluster.majority-timeout");
    }

    @Test
    void orphanGrace_isFiveSecondsUnlessGiven_andNotNegative() throws IOException {
        String head = "cluster:\n  node-id: n1\n  bind: 127.0.0.1:7001\n  members: [n1@127.0.0.1:7001]\n";
        assertThat(read(head).cluster().tuning().orphanGraceMillis()).isEqualTo(5_000);
        ClusterConfig.Tuning t = read(head + "  orphan-grace: 30s\n  majority-timeout: 2s\n")
                .cluster()
                .tuning();
        assertThat(t.orphanGraceMillis()).isEqualTo(30_000);
        assertThat(t.majorityTimeoutMillis()).isEqualTo(2_000);
        assertThatThrownBy(() -> read(head + "  orphan-grace: -1\n")).hasMessageContaining("cluster.orphan-grace");
    }
}
