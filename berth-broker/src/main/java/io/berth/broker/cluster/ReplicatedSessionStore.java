package io.berth.broker.cluster;

import io.berth.broker.config.ClusterConfig;
import io.berth.broker.store.QueuedMessage;
import io.berth.broker.store.RecoveredSession;
import io.berth.broker.store.SessionStore;
import io.berth.broker.store.StoreCommand;
import io.berth.broker.store.StoredMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The store of a cluster node: each submission is one entry of the session group's Raft log, and its
 * future completes once a majority has the entry and this node applied it to its replica (so reads here
 * see it, as {@link SessionStore} promises). Reads go to this node's replica.
 *
 * <p>Recovery returns the sessions this node owns: the others are served by their own nodes, and come
 * here only when a client claims its session here.
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

    @Override
    public Recovery recover() {
        Recovery all = local.recover();
        List<RecoveredSession> mine = new ArrayList<>();
        for (RecoveredSession s : all.sessions()) {
            if (node.nodeId().equals(node.owner(s.record().clientId()))) {
                mine.add(s);
            }
        }
        return new Recovery(mine, all.retained(), node.nextMessageId());
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
