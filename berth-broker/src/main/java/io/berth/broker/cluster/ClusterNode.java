package io.berth.broker.cluster;

import io.berth.broker.config.BrokerConfig;
import io.berth.broker.config.ClusterConfig;
import io.berth.broker.routing.RetainedIndex;
import io.berth.broker.routing.TopicTree;
import io.berth.broker.session.ClusterSessions;
import io.berth.broker.session.SessionHandover;
import io.berth.broker.session.Sessions;
import io.berth.broker.store.CommitListener;
import io.berth.broker.store.RecoveredSession;
import io.berth.broker.store.SessionStore;
import io.berth.broker.store.StoreCommand;
import io.berth.broker.store.rocksdb.CommandCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This broker as a member of a cluster: the Raft server of the session group (Apache Ratis, over gRPC on
 * {@code cluster.bind}), a client that submits this node's entries to the group's leader, and this
 * node's replica of the store ({@code <data>/store}, RocksDB; the Raft log is in {@code <data>/raft}).
 * It is the {@link SessionHandover} of this node's {@link Sessions}: a CONNECT claims its session through
 * the log, and a claim by another node releases the session here.
 *
 * <p>Threading: {@link #start} and {@link #close} from one thread; {@link #submit} and {@link #claim} from
 * any thread. Claimed sessions are read from the store on the {@code berth-cluster} thread.
 */
public final class ClusterNode implements SessionHandover, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);
    /** How long a CONNECT waits for the claim of its session to be committed and applied here. */
    static final long CLAIM_TIMEOUT_MILLIS = 10_000;
    /** How many times a claim is made when snapshots keep making its outcome unknown. */
    static final int CLAIM_ATTEMPTS = 3;

    private final ClusterConfig cluster;
    private final Replica local;
    private final SessionStateMachine machine;
    private final RaftServer server;
    private final RaftClient client;
    private final long incarnation = System.nanoTime() ^ System.currentTimeMillis() << 20;
    private final AtomicLong seqs = new AtomicLong();
    private final ExecutorService reads =
            Executors.newSingleThreadExecutor(new DefaultThreadFactory("berth-cluster", true));
    private final OperatorRequests operators = new OperatorRequests(this);
    private final LocalView view = new LocalView(operators::carryOut);
    /** Encodes this node's entries and hands them to the Raft client, in order (see {@link EntryBatcher}). */
    private final ExecutorService sender =
            Executors.newSingleThreadExecutor(new DefaultThreadFactory("berth-cluster-send", true));

    private final EntryBatcher batcher = new EntryBatcher(this::sendCommands, sender);
    private final ReplicatedSessionStore store;
    private final RaftGroup group;
    private final MajorityWatch majority;
    private final OrphanWatch orphans;
    private final AppliedBarrier barrier;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** A member heard from within this many milliseconds is alive: twice the longest election timeout. */
    private final long aliveMillis;

    private volatile @Nullable Sessions attached;

    private ClusterNode(BrokerConfig config, Replica local) throws IOException {
        this.cluster = config.cluster();
        this.local = local;
        this.machine = new SessionStateMachine(local, cluster.nodeId(), incarnation, view);
        this.group = RaftSetup.group(cluster);
        Path raftDir = config.dataDir().toAbsolutePath().resolve("raft");
        RaftProperties properties = RaftSetup.server(cluster, raftDir);
        this.aliveMillis = 2 * RaftServerConfigKeys.Rpc.timeoutMax(properties).toLong(TimeUnit.MILLISECONDS);
        this.server = RaftSetup.newServer(cluster, group, properties, raftDir, machine);
        this.client = RaftSetup.submitter(group);
        this.barrier = new AppliedBarrier(
                RaftSetup.asker(group, AppliedBarrier.ANSWER_MILLIS),
                RaftSetup.others(group, cluster.nodeId()),
                this::appliedIndex);
        this.store = new ReplicatedSessionStore(this, local, cluster);
        this.majority = new MajorityWatch(
                cluster.tuning().majorityTimeoutMillis(),
                this::inTouch,
                System::nanoTime,
                new SendAway(() -> attached));
        this.orphans = new OrphanWatch(
                cluster.nodeId(),
                cluster.tuning().orphanGraceMillis(),
                System::nanoTime,
                new Adoptions(this, machine, local, reads));
    }

    /** Submits {@code entry}, numbered {@code seq}; completes once applied here, failing after the claim timeout. */
    CompletableFuture<Void> appendTimed(long seq, LogEntry entry) {
        CompletableFuture<Void> applied = machine.submissions().expect(seq);
        send(seq, entry);
        return timed(seq, applied, TimeUnit.MILLISECONDS.toNanos(CLAIM_TIMEOUT_MILLIS));
    }

    /** {@code applied}, failing after {@code nanos}; a submission that failed is no longer waited for. */
    private CompletableFuture<Void> timed(long seq, CompletableFuture<Void> applied, long nanos) {
        return applied.orTimeout(nanos, TimeUnit.NANOSECONDS).whenComplete((v, error) -> {
            if (error != null) {
                machine.submissions().abandon(seq, error);
            }
        });
    }

    /**
     * Submits {@code entry}, numbered {@code seq}, after every submission of this node before it, as an
     * entry of its own (see {@link EntryBatcher}); completes once applied here.
     */
    CompletableFuture<Void> appendInLine(long seq, LogEntry entry) {
        CompletableFuture<Void> applied = machine.submissions().expect(seq);
        batcher.claim(() -> {
            send(seq, entry);
            return applied;
        });
        return applied;
    }

    long nextSeq() {
        return seqs.incrementAndGet();
    }

    long incarnation() {
        return incarnation;
    }

    Submissions submissions() {
        return machine.submissions();
    }

    /** The sessions of every node as this node's replica holds them, for the admin API. */
    public ClusterSessions sessionsView() {
        return new ReplicaSessions(cluster.nodeId(), machine, local, operators);
    }

    /** The broker's sessions once attached, else null. */
    @Nullable
    Sessions sessions() {
        return attached;
    }

    boolean inTouch() {
        try {
            return GroupStatus.inTouch(
                    server.getDivision(group.getGroupId()), group.getPeers().size(), aliveMillis);
        } catch (IOException e) {
            return false;
        }
    }

    /** Registers this node's gauges (see {@link ClusterMetrics}) in {@code registry}. */
    public void bindMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
        ClusterMetrics.register(registry, cluster, group.getGroupId().getUuid().toString(), this::groupStatus);
    }

    /** What this node knows of the session group now ({@code GET /cluster}); any thread. */
    public GroupStatus groupStatus() {
        var snapshot = machine.getLatestSnapshot();
        return GroupStatus.of(
                division(), cluster, snapshot == null ? -1 : snapshot.getIndex(), majority.cutOff(), aliveMillis);
    }

    /** This node's member of the session group; any thread. */
    private RaftServer.Division division() {
        try {
            return server.getDivision(group.getGroupId());
        } catch (IOException e) {
            throw new IllegalStateException("the session group is not running on this node", e);
        }
    }

    /**
     * Checks the data folder, opens this node's replica and starts its Raft server.
     *
     * @throws IllegalStateException when the configuration or the data folder do not allow it; the message
     *     says what and where
     */
    public static ClusterNode start(BrokerConfig config, CommitListener listener) {
        Path dataDir = config.dataDir().toAbsolutePath();
        ClusterIdentity.check(dataDir, config.cluster());
        RaftSetup.checkBindable(config.cluster().bind());
        Replica local;
        try {
            // no sync of RocksDB's own WAL: the Raft log, fsynced on a majority, is the write-ahead log
            local = Replica.open(dataDir.resolve("store"), listener);
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        try {
            ClusterNode node = new ClusterNode(config, local);
            node.server.start();
            node.majority.start();
            node.orphans.start();
            LOG.info(
                    "cluster node {} of {} listening on {}",
                    config.cluster().nodeId(),
                    ClusterConfig.ids(config.cluster().members()),
                    config.cluster().bind());
            return node;
        } catch (IOException | RuntimeException e) {
            local.close();
            throw new IllegalStateException(
                    "cannot start cluster node " + config.cluster().nodeId() + " on "
                            + config.cluster().bind() + ": " + e.getMessage(),
                    e);
        }
    }

    /** The replicated store this node's sessions use. */
    public SessionStore store() {
        return store;
    }

    /**
     * Keeps {@code sessions} and {@code retained} in step with the entries of other nodes from now on
     * (and with those applied since the store was recovered): sessions they claim are let go, retained
     * messages they set or clear change the index.
     */
    public void attach(Sessions sessions, RetainedIndex retained) {
        view.attach(sessions, retained);
        attached = sessions;
    }

    /**
     * {@inheritDoc}
     *
     * <p>A claim not applied within {@link #CLAIM_TIMEOUT_MILLIS} (no majority within reach) fails, so
     * that the client hears Server unavailable and may try another node. The claim may still commit later:
     * the session then belongs to this node, which serves it at the client's next CONNECT here, and is
     * claimed again by any other node the client connects to.
     *
     * <p>A claim whose outcome a snapshot made unknown ({@link OutcomeUnknownException}: the snapshot
     * replaced the replica before the claim was applied here) is made again, up to {@link #CLAIM_ATTEMPTS}
     * times within the same time limit, instead of answering the client Server unavailable: claiming a
     * session this node may already own changes nothing.
     */
    @Override
    public CompletableFuture<RecoveredSession> claim(String clientId) {
        return claim(clientId, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLAIM_TIMEOUT_MILLIS), CLAIM_ATTEMPTS);
    }

    private CompletableFuture<RecoveredSession> claim(String clientId, long deadline, int attempts) {
        if (majority.cutOff()) {
            return CompletableFuture.failedFuture(
                    new IllegalStateException("node " + cluster.nodeId() + " is cut off from the cluster's majority"));
        }
        long seq = seqs.incrementAndGet();
        CompletableFuture<Void> applied =
                appendInLine(seq, LogEntry.claim(cluster.nodeId(), incarnation, seq, clientId));
        return timed(seq, applied, Math.max(0, deadline - System.nanoTime()))
                .handle((v, error) -> error)
                .thenComposeAsync(
                        error -> {
                            if (error == null) {
                                return CompletableFuture.completedFuture(local.recoverSession(clientId));
                            }
                            if (OutcomeUnknownException.isCause(error)
                                    && attempts > 1
                                    && System.nanoTime() < deadline) {
                                LOG.info("claim of the session of '{}' made again: {}", clientId, error.getMessage());
                                return claim(clientId, deadline, attempts - 1);
                            }
                            return CompletableFuture.failedFuture(error);
                        },
                        reads);
    }

    @Override
    public boolean owns(String clientId) {
        return cluster.nodeId().equals(machine.owner(clientId));
    }

    @Override
    public TopicTree subscriptions() {
        return machine.subscriptions().tree();
    }

    @Override
    public Set<String> relayNodes(String topic, String publisherId) {
        return machine.volatiles().relayNodes(topic, publisherId, cluster.nodeId());
    }

    @Override
    public CompletableFuture<Void> appliedEverywhere() {
        return barrier.await();
    }

    @Override
    public List<Forwarded> inbox(String clientId, long afterKey, int max) {
        return Inboxes.read(local, clientId, afterKey, max);
    }

    /**
     * Submits one store submission, in a log entry with the others waiting ({@link EntryBatcher});
     * completes once it is committed and applied here.
     */
    CompletableFuture<Void> submit(List<StoreCommand> commands) {
        return batcher.submit(commands);
    }

    /** Sends {@code commands} as one log entry; completes once it is committed and applied here. */
    private CompletableFuture<Void> sendCommands(List<StoreCommand> commands) {
        byte[] encoded;
        try {
            encoded = CommandCodec.encode(commands);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        long seq = seqs.incrementAndGet();
        CompletableFuture<Void> applied = machine.submissions().expect(seq);
        send(seq, LogEntry.commands(cluster.nodeId(), incarnation, seq, encoded));
        return applied;
    }

    private void send(long seq, LogEntry entry) {
        client.async()
                .send(Message.valueOf(UnsafeByteOperations.unsafeWrap(entry.encode())))
                .whenComplete((reply, error) -> {
                    if (error != null) {
                        machine.submissions().abandon(seq, error);
                    } else if (!reply.isSuccess()) {
                        machine.submissions().abandon(seq, reply.getException());
                    }
                });
    }

    /** The node that owns {@code clientId}'s session, or null. */
    @Nullable
    String owner(String clientId) {
        return machine.owner(clientId);
    }

    /** The highest message id this node stored, as its replica holds it (0 for none). */
    long maxMessageId() {
        return machine.maxMessageId(cluster.nodeId());
    }

    String nodeId() {
        return cluster.nodeId();
    }

    /** The index of the last log entry this node applied, -1 before any; any thread. */
    long appliedIndex() {
        TermIndex applied = machine.getLastAppliedTermIndex();
        return applied == null ? -1 : applied.getIndex();
    }

    /** The other members that subscriptions do not wait for now ({@link AppliedBarrier}); any thread. */
    Set<String> notWaitedFor() {
        return barrier.outOfReach();
    }

    /** This node's view of the session group now; any thread. */
    public NodeStatus status() {
        return NodeStatus.of(cluster.nodeId(), division());
    }

    /** Leaves the group: stops the Raft server and the client, then closes the replica; once. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        orphans.close();
        majority.close();
        barrier.close();
        closeLogged(client, "the cluster client");
        closeLogged(server, "the Raft server");
        reads.shutdown();
        sender.shutdown();
        local.close();
    }

    private static void closeLogged(AutoCloseable c, String what) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("closing {} failed", what, e);
        }
    }
}
