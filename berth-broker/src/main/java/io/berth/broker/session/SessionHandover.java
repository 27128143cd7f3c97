package io.berth.broker.session;

import io.berth.broker.store.RecoveredSession;
import java.util.concurrent.CompletableFuture;

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
}
