package io.berth.broker.session;

import io.berth.broker.config.QueueLimits;
import io.berth.broker.store.InflightRecord;
import io.berth.broker.store.QueuedMessage;
import io.berth.broker.store.RecoveredSession;
import io.berth.broker.store.SessionRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What an operator sees of a session that this node's shards do not hold (a cluster node: the session is
 * served by another node, or by none right now), read from this node's replica: the state committed by
 * the log, which may trail what its owner holds in memory by the entries not yet applied here.
 *
 * <p>Threading: stateless; the reads block, so its callers run off the shards.
 */
final class ReplicaAdmin {
    private static final int READ_BATCH = 256;

    private ReplicaAdmin() {}

    /**
     * The session as an operator sees it; {@code online} is what its record says (connected to the node
     * that serves it when that node last wrote it).
     */
    static SessionInfo info(RecoveredSession r, String node, QueueLimits limits, boolean summary) {
        SessionRecord rec = r.record();
        return new SessionInfo(
                rec.clientId(),
                rec.disconnectedAtMillis() == 0,
                rec.version().name(),
                rec.disconnectedAtMillis(),
                rec.expiryIntervalSeconds(),
                r.queuedCount(),
                r.queuedBytes(),
                r.inflight().size(),
                summary ? List.of() : List.copyOf(r.inbound()),
                summary ? List.of() : r.subscriptions(),
                rec.will() == null ? null : rec.will().topic(),
                rec.owner(),
                limits,
                node);
    }

    /** The first {@code max} queued messages, in flight ones first (they are the oldest). */
    static List<QueuedView> peek(ClusterSessions cluster, RecoveredSession r, int max) {
        List<QueuedView> out = new ArrayList<>();
        for (QueuedMessage q : cluster.readQueue(r.record().clientId(), r.queueHead(), r.queueTail(), max)) {
            out.add(new QueuedView(
                    q.entry().seq(),
                    q.message().topic(),
                    q.entry().qos().value(),
                    q.entry().retain(),
                    q.message().arrivalMillis(),
                    q.message().payload()));
        }
        return out;
    }

    /** How many messages a purge with {@code select} takes: those not in flight that it matches. */
    static long purgeCount(ClusterSessions cluster, RecoveredSession r, Purge select, long now) {
        Set<Long> inflight = new HashSet<>();
        for (InflightRecord f : r.inflight()) {
            inflight.add(f.seq());
        }
        long taken = 0;
        long from = r.queueHead();
        while (from < r.queueTail()) {
            List<QueuedMessage> batch = cluster.readQueue(r.record().clientId(), from, r.queueTail(), READ_BATCH);
            if (batch.isEmpty()) {
                break;
            }
            for (QueuedMessage q : batch) {
                from = q.entry().seq() + 1;
                if (!inflight.contains(q.entry().seq()) && select.matches(q.message(), taken, now)) {
                    taken++;
                }
            }
        }
        return taken;
    }
}
