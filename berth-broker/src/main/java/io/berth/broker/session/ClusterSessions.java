package io.berth.broker.session;

import io.berth.broker.store.QueuedMessage;
import io.berth.broker.store.RecoveredSession;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * What an operator on one cluster node sees of the sessions of every node: each node's replica of the
 * store holds every durable session (ADR 11), so the sessions that this node's shards do not hold are read
 * from it, and a purge of one goes through the log to the node that owns it. A single node has none.
 *
 * <p>Threading: any thread; the reads block on the replica (call them off the shards).
 */
public interface ClusterSessions {
    /** This node's id. */
    String nodeId();

    /** The node that owns each durable session, by client id, as the log applied here says. */
    Map<String, String> owners();

    /** The session as this node's replica holds it now, or null. */
    @Nullable
    RecoveredSession read(String clientId);

    /** At most {@code max} queued messages of {@code clientId} from {@code fromSeq} (inclusive) to {@code toSeq}. */
    List<QueuedMessage> readQueue(String clientId, long fromSeq, long toSeq, int max);

    /**
     * Asks the node that owns {@code clientId}'s session to purge its queue as {@code select} says
     * (through the log); completes once the request is committed and applied here.
     */
    CompletableFuture<Void> purge(String clientId, Purge select);
}
