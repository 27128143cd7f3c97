package io.berth.broker.session;

import io.berth.broker.routing.TopicTree;
import io.berth.broker.store.RecoveredSession;
import io.berth.broker.store.StoredMessage;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * How sessions move between the nodes of a cluster. A node serves a session only while it owns it; a
 * CONNECT first claims the session for this node, and the node that owned it before lets it go
 * ({@link Sessions#release}). A single node has none: {@link Sessions} then connects at once.
 *
 * <p>Threading: {@link #claim} is called on the session's shard; its future may complete on any thread.
 */
public interface SessionHandover {
    /**
     * Makes this node the owner of {@code clientId}'s session. Completes once the claim is committed and
     * every earlier change of the session is applied to this node's store, with the session as that store
     * holds it (null when there is none); exceptionally when the claim could not be committed.
     */
    CompletableFuture<RecoveredSession> claim(String clientId);

    /** True while the applied log says that this node owns {@code clientId}'s session; any thread. */
    boolean owns(String clientId);

    /**
     * The subscriptions of every durable session of the cluster, on whichever node (ADR 13): a publish
     * forwards a copy to each session that matches there. Written by the node as the log is applied;
     * readable on any thread.
     */
    TopicTree subscriptions();

    /**
     * The nodes other than this one that serve a session that ends with its connection and has a
     * non-shared subscription matching {@code topic} (but for a No Local one of {@code publisherId}'s):
     * a publish relays the message to them in its log entry (ADR 16). Any thread.
     */
    Set<String> relayNodes(String topic, String publisherId);

    /**
     * Completes once every member in reach has the log committed as far as this node applied it now (and
     * so applies it next; when a member does not answer, nobody is waited for), so that a publish on any
     * node after it is routed by what this node applied (ADR 16). Any thread.
     */
    CompletableFuture<Void> appliedEverywhere();

    /**
     * At most {@code max} messages of {@code clientId}'s inbox with a key above {@code afterKey}, in key
     * (log) order, as this node's store holds them now. Blocks on a store read: call it off the shards.
     */
    List<Forwarded> inbox(String clientId, long afterKey, int max);

    /**
     * A message in a session's inbox, with its key there, and the shared subscription it is for (null:
     * for the session's own subscriptions).
     */
    record Forwarded(
            long key, StoredMessage message, @Nullable String sharedFilter) {}
}
