package io.berth.broker.cluster;

import io.berth.broker.config.ClusterConfig;
import io.berth.broker.store.QueuedMessage;
import io.berth.broker.store.RecoveredSession;
import io.berth.broker.store.SessionStore;
import io.berth.broker.store.StoreCommand;
import io.berth.broker.store.StoredMessage;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The store of a cluster node: each submission is one entry of the session group's Raft log, and its
 * future completes once a majority has the entry and this node applied it to its replica (so reads here
 * see it, as {@link SessionStore} promises). Reads go to this node's replica.
 *
 * <p>Recovery returns no session: a session comes here when a client claims it here (ADR 13).
 *
 * <p>Threading: as {@link SessionStore}: any thread.
 */
final class ReplicatedSessionStore implements SessionStore {
    private final ClusterNode node;
    private final Replica local;
    private final ClusterConfig cluster;

    ReplicatedSessionStore(ClusterNode node, Replica local, ClusterConfig cluster) {
        this.node = node;
        this.local = local;
        this.cluster = cluster;
    }

    @Override
    public CompletableFuture<Void> submit(List<StoreCommand> commands) {
        return node.submit(commands);
    }

    /**
     * {@inheritDoc}
     *
     * <p>No session: at start this node's replica may not yet hold the last entries the node wrote before it
     * stopped (committed, not yet applied here), and a session restored from it could number its queue over
     * them. A session comes back here with the claim of its next CONNECT, once every earlier entry is
     * applied (ADR 13); until then what is forwarded to it waits in its inbox.
     */
    @Override
    public Recovery recover() {
        Recovery all = local.recover();
        return new Recovery(List.of(), all.retained(), nextMessageId());
    }

    /**
     * How far above the highest id its replica holds a node continues: the replica may not yet hold the
     * last entries the node wrote before it stopped (ADR 13).
     */
    static final long MESSAGE_ID_MARGIN = 1L << 24;

    /** The next message id of this node: ids are drawn from a range of its own (see ADR 11). */
    private long nextMessageId() {
        int index = cluster.members().indexOf(cluster.self());
        long base = (index + 1L) << 48;
        long stored = node.maxMessageId();
        return stored == 0 ? base : Math.max(base, stored + MESSAGE_ID_MARGIN);
    }

    @Override
    public List<QueuedMessage> readQueue(String clientId, long fromSeq, long toSeq, int max) {
        return local.readQueue(clientId, fromSeq, toSeq, max);
    }

    @Override
    public @Nullable StoredMessage readRetained(String topic) {
        return local.readRetained(topic);
    }

    @Override
    public boolean durable() {
        return true;
    }

    @Override
    public String describe() {
        return "rocksdb replicated by Raft, node " + cluster.nodeId() + " of " + ClusterConfig.ids(cluster.members())
                + " (acknowledged = committed by a majority, the Raft log fsynced)";
    }

    /** The session as this node's replica holds it now, or null. */
    @Nullable
    RecoveredSession localSession(String clientId) {
        return local.recoverSession(clientId);
    }

    /** The node closes the replica. */
    @Override
    public void close() {}
}
