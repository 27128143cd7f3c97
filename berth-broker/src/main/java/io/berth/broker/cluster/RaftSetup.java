package io.berth.broker.cluster;

import io.berth.broker.config.ClusterConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachine;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/**
 * How a {@link ClusterNode} sets up Apache Ratis: the session group of the configured members, the
 * server's properties (timeouts, snapshots, gRPC on {@code cluster.bind}) and its clients.
 *
 * <p>The transport is gRPC, not Ratis' Netty transport (ADR 20): in Ratis 3.2 that one has no unordered
 * requests ({@link AppliedBarrier}'s asks), handles each request on its event loop until it is done, and
 * was not cheaper per message in {@code cluster-qos1}.
 *
 * <p>Threading: stateless.
 */
final class RaftSetup {
    private RaftSetup() {}

    /**
     * Fails with a message that names {@code cluster.bind} when this node cannot listen there (another
     * program or node holds the port, or the address is not this machine's). Checked before Ratis starts:
     * Ratis itself ends the whole process when its server cannot bind.
     *
     * @throws IllegalStateException when the address cannot be bound
     */
    static void checkBindable(ClusterConfig.Address bind) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(bind.host(), bind.port()));
        } catch (IOException e) {
            throw new IllegalStateException("cluster.bind " + bind + " cannot be listened on: " + e.getMessage()
                    + " (is another node or program using it? is the address this machine's?)");
        }
    }

    /** The session group: every configured member, in order. */
    static RaftGroup group(ClusterConfig cluster) {
        List<RaftPeer> peers = new ArrayList<>();
        for (ClusterConfig.Member m : cluster.members()) {
            peers.add(RaftPeer.newBuilder()
                    .setId(m.id())
                    .setAddress(m.address().toString())
                    .build());
        }
        return RaftGroup.valueOf(RaftGroupId.valueOf(ClusterIdentity.groupId(cluster)), peers);
    }

    /** The properties of this node's Raft server, its log in {@code raftDir}. */
    static RaftProperties server(ClusterConfig cluster, Path raftDir) {
        RaftProperties properties = new RaftProperties();
        RaftServerConfigKeys.setStorageDir(properties, List.of(raftDir.toFile()));
        electionTimeouts(properties);
        snapshots(properties, cluster.tuning());
        commitEntries(properties);
        GrpcConfigKeys.Server.setHost(properties, cluster.bind().host());
        GrpcConfigKeys.Server.setPort(properties, cluster.bind().port());
        return properties;
    }

    /**
     * This node's Raft server of {@code group}, applying to {@code machine}: it recovers the log in {@code
     * raftDir} when one is there (a restart), else formats a new one.
     */
    static RaftServer newServer(
            ClusterConfig cluster, RaftGroup group, RaftProperties properties, Path raftDir, StateMachine machine)
            throws IOException {
        boolean existing =
                Files.isDirectory(raftDir.resolve(group.getGroupId().getUuid().toString()));
        return RaftServer.newBuilder()
                .setServerId(RaftPeerId.valueOf(cluster.nodeId()))
                .setGroup(group)
                .setProperties(properties)
                .setStateMachine(machine)
                .setOption(existing ? RaftStorage.StartupOption.RECOVER : RaftStorage.StartupOption.FORMAT)
                .build();
    }

    /** The members of {@code group} other than {@code nodeId}. */
    static List<RaftPeerId> others(RaftGroup group, String nodeId) {
        List<RaftPeerId> others = new ArrayList<>();
        for (RaftPeer peer : group.getPeers()) {
            if (!peer.getId().toString().equals(nodeId)) {
                others.add(peer.getId());
            }
        }
        return others;
    }

    /** The client that submits this node's entries: it retries for ever (an outcome is never guessed). */
    static RaftClient submitter(RaftGroup group) {
        return RaftClient.newBuilder()
                .setProperties(new RaftProperties())
                .setRaftGroup(group)
                .setClientId(ClientId.randomId())
                .setRetryPolicy(RetryPolicies.retryForeverWithSleep(TimeDuration.valueOf(100, TimeUnit.MILLISECONDS)))
                .build();
    }

    /**
     * The client that asks the other members how far they applied the log ({@link AppliedBarrier}): it
     * sends nothing to the leader, and its asks go on Ratis' unordered stream to each member; one that is
     * not answered within {@code answerMillis} fails.
     */
    static RaftClient asker(RaftGroup group, long answerMillis) {
        RaftProperties properties = new RaftProperties();
        RaftClientConfigKeys.Rpc.setRequestTimeout(
                properties, TimeDuration.valueOf(answerMillis, TimeUnit.MILLISECONDS));
        return RaftClient.newBuilder()
                .setProperties(properties)
                .setRaftGroup(group)
                .setClientId(ClientId.randomId())
                .setRetryPolicy(RetryPolicies.noRetry())
                .build();
    }

    /**
     * A follower that hears nothing from its leader for 1 to 2 s (Ratis: 150 to 300 ms) starts an
     * election, and a leader that hears from no majority for 2 s steps down. Shorter timeouts elected a new
     * leader at every GC or scheduling pause of half a second (seen on a loaded 2-core machine under
     * cluster-qos1 of berth-bench), and the group then had no leader for seconds at a time. The first
     * election after a start keeps short timeouts, so that a fresh group has a leader soon.
     */
    private static void electionTimeouts(RaftProperties properties) {
        RaftServerConfigKeys.Rpc.setTimeoutMin(properties, TimeDuration.valueOf(1_000, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(properties, TimeDuration.valueOf(2_000, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMin(
                properties, TimeDuration.valueOf(150, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMax(
                properties, TimeDuration.valueOf(300, TimeUnit.MILLISECONDS));
    }

    /**
     * Ratis' own metadata entry after each commit stays on (its default, set here so that it is not turned
     * off without reading this). It is about half of the log's entries under load, but with it off the
     * crash test's QoS 1 duplicates went from 1 to 425 with the same seed, most likely because the leader
     * sends it to the followers at once, while without it a follower hears that an entry is committed only
     * with the next entry or heartbeat, and a PUBACK on its node (committed and applied there) waits that
     * long (ADR 15 addendum).
     */
    private static void commitEntries(RaftProperties properties) {
        RaftServerConfigKeys.Log.setLogMetadataEnabled(properties, true);
    }

    /**
     * Snapshots every {@code snapshot-every} entries (RocksDB checkpoints of the replica, see {@link
     * ReplicaSnapshots}); the log behind the latest one is purged, also when a follower still needs it:
     * that follower is sent the snapshot instead (ADR 12).
     */
    private static void snapshots(RaftProperties properties, ClusterConfig.Tuning tuning) {
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(properties, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(properties, tuning.snapshotEvery());
        RaftServerConfigKeys.Snapshot.setCreationGap(properties, tuning.snapshotEvery());
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(properties, 2);
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(properties, true);
        RaftServerConfigKeys.Log.setPurgeGap(properties, (int) Math.min(1024, tuning.snapshotEvery()));
        RaftServerConfigKeys.Log.setSegmentSizeMax(properties, SizeInBytes.valueOf(tuning.logSegmentBytes()));
        RaftServerConfigKeys.Log.Appender.setInstallSnapshotEnabled(properties, true);
    }
}
