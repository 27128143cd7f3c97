package io.berth.broker.session;

import io.berth.broker.store.QueuedMessage;
import io.berth.broker.store.RecoveredSession;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * What an operator on one cluster node sees of the sessions of every node: each node's replica of the
 * store holds every durable session (ADR 11), so the sessions that this node's shards do not hold are read
 * from it, and a purge, delete or disconnect of one goes through the log to the node that owns it. A single node has none.
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
     * Asks the node that owns {@code clientId}'s session, when the request is applied, to purge its queue
     * as {@code select} says (through the log); completes with the number it removed once its answer is
     * applied here, empty when no node owns such a session. Fails with {@link NotConfirmedException} when
     * no answer came in time.
     */
    CompletableFuture<Optional<Long>> purge(String clientId, Purge select);

    /**
     * Asks the node that owns {@code clientId}'s session, when the request is applied, to end it as an
     * operator's delete does (through the log); completes with that node's answer once it is applied here,
     * or with {@link OwnerOutcome#NO_SESSION} when no node owns such a session. Fails with {@link
     * NotConfirmedException} when no answer came in time.
     */
    CompletableFuture<OwnerOutcome> delete(String clientId);

    /** As {@link #delete}, for closing the session's connection (5.0: DISCONNECT 0x98). */
    CompletableFuture<OwnerOutcome> disconnect(String clientId);
}
