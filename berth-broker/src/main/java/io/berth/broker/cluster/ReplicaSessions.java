package io.berth.broker.cluster;

import io.berth.broker.session.ClusterSessions;
import io.berth.broker.session.OwnerOutcome;
import io.berth.broker.session.Purge;
import io.berth.broker.store.QueuedMessage;
import io.berth.broker.store.RecoveredSession;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The sessions of every node as this node's replica holds them, for the admin API (see {@link
 * ClusterSessions}).
 *
 * <p>Threading: any thread; holds no mutable state.
 */
final class ReplicaSessions implements ClusterSessions {
    private final String self;
    private final SessionStateMachine machine;
    private final Replica local;
    private final OperatorRequests operators;

    ReplicaSessions(String self, SessionStateMachine machine, Replica local, OperatorRequests operators) {
        this.self = self;
        this.machine = machine;
        this.local = local;
        this.operators = operators;
    }

    @Override
    public String nodeId() {
        return self;
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
    public CompletableFuture<Optional<Long>> purge(String clientId, Purge select) {
        return operators.purge(clientId, select);
    }

    @Override
    public CompletableFuture<OwnerOutcome> delete(String clientId) {
        return operators.ask(LogEntry.Kind.DELETE, clientId);
    }

    @Override
    public CompletableFuture<OwnerOutcome> disconnect(String clientId) {
        return operators.ask(LogEntry.Kind.DISCONNECT, clientId);
    }
}
