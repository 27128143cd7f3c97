package io.berth.broker.cluster;

import io.berth.broker.session.ClusterSessions;
import io.berth.broker.session.Purge;
import io.berth.broker.store.QueuedMessage;
import io.berth.broker.store.RecoveredSession;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The sessions of every node as this node's replica holds them, for the admin API (see {@link
 * ClusterSessions}).
 *
 * <p>Threading: any thread; holds no mutable state.
 */
final class ReplicaSessions implements ClusterSessions {
    private final ClusterNode node;
    private final SessionStateMachine machine;
    private final Replica local;

    ReplicaSessions(ClusterNode node, SessionStateMachine machine, Replica local) {
        this.node = node;
        this.machine = machine;
        this.local = local;
    }

    @Override
    public String nodeId() {
        return node.nodeId();
    }

    @Override
    public Map<String, String> owners() {
        return machine.owners();
    }

    @Override
    public @Nullable RecoveredSession read(String clientId) {
        return local.recoverSession(clientId);
    }

    @Override
    public List<QueuedMessage> readQueue(String clientId, long fromSeq, long toSeq, int max) {
        return local.readQueue(clientId, fromSeq, toSeq, max);
    }

    @Override
    public CompletableFuture<Void> purge(String clientId, Purge select) {
        return node.purge(clientId, select);
    }
}
