package io.berth.broker.cluster;

import io.berth.broker.session.Sessions;
import io.berth.broker.store.RecoveredSession;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * What the {@link OrphanWatch} reads of a {@link ClusterNode} and what it has it do (ADR 14): adoptions go
 * through the node's log; the sessions adopted are read from the replica and handed to the broker's
 * sessions, which serve them offline with their will and expiry timers running.
 *
 * <p>Threading: called on the watch's thread; the replica is read on the node's {@code berth-cluster}
 * thread ({@code reads}), the sessions are restored on their shards.
 */
final class Adoptions implements OrphanWatch.Group {
    private final ClusterNode node;
    private final SessionStateMachine machine;
    private final Replica local;
    private final Executor reads;

    Adoptions(ClusterNode node, SessionStateMachine machine, Replica local, Executor reads) {
        this.node = node;
        this.machine = machine;
        this.local = local;
        this.reads = reads;
    }

    @Override
    public boolean attached() {
        return node.sessions() != null;
    }

    @Override
    public boolean inTouch() {
        return node.inTouch();
    }

    @Override
    public GroupStatus status() {
        return node.groupStatus();
    }

    @Override
    public Set<String> owningNodes() {
        return new HashSet<>(machine.owners().values());
    }

    /**
     * Submits the adoption of every session that node {@code from} owns when it is applied (ADR 14);
     * completes with the ids this node adopted once applied here, exceptionally when it could not be
     * committed within {@link ClusterNode#CLAIM_TIMEOUT_MILLIS}.
     */
    @Override
    public CompletableFuture<List<String>> adopt(String from) {
        long seq = node.nextSeq();
        return node.appendTimed(seq, LogEntry.adopt(node.nodeId(), node.incarnation(), seq, from))
                .thenApply(v -> machine.submissions().adopted(seq));
    }

    @Override
    public void serve(List<String> clientIds) {
        Sessions sessions = node.sessions();
        if (sessions == null || clientIds.isEmpty()) {
            return;
        }
        reads.execute(() -> {
            for (String clientId : clientIds) {
                RecoveredSession r = local.recoverSession(clientId);
                if (r != null) {
                    sessions.adopt(r);
                }
            }
        });
    }
}
