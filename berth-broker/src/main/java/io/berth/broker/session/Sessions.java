package io.berth.broker.session;

import io.berth.broker.store.RecoveredSession;
import io.berth.broker.store.SessionRecord;
import io.berth.broker.store.SessionStore;
import io.berth.broker.store.StoreCommand;
import io.berth.broker.store.StoredMessage;
import io.berth.codec.ReasonCode;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;

/**
 * All sessions, partitioned into shards by client id ({@code floorMod(hash, shards)}), and the router
 * between them. Shard {@code i} runs on event loop {@code i}; the same loops serve the connections (ADR 9).
 *
 * <p>Threading: immutable after construction; its methods may be called from any thread.
 */
public final class Sessions implements AutoCloseable {
    private final BrokerContext context;
    private final SessionShard[] shards;

    private final Router router;
    /** Reads queues past what memory holds, off the shards' threads. */
    private final ExecutorService reader;
    /** Null on a single node. */
    private final @Nullable SessionHandover handover;
    /** Null on a single node. */
    private final @Nullable VolatileRouting volatiles;

    /** @param loops the event loops of the shards, one per shard, in order */
    public Sessions(BrokerContext context, List<ShardLoop> loops) {
        this(context, loops, null);
    }

    /**
     * Sessions of a cluster node when {@code handover} is given: each CONNECT first claims its session
     * through it.
     *
     * @param loops the event loops of the shards, one per shard, in order
     */
    public Sessions(BrokerContext context, List<ShardLoop> loops, @Nullable SessionHandover handover) {
        this.context = context;
        this.handover = handover;
        this.shards = new SessionShard[loops.size()];
        this.reader = Executors.newSingleThreadExecutor(new DefaultThreadFactory("berth-reader", true));
        long heldPerShard = HeldBudget.defaultTotal() / shards.length;
        for (int i = 0; i < shards.length; i++) {
            shards[i] = new SessionShard(i, loops.get(i), context, this, reader, heldPerShard);
        }
        this.router = new Router(context, shards, handover);
        this.volatiles = handover == null ? null : new VolatileRouting(this);
    }

    /** The shard that owns the session of {@code clientId}. */
    public SessionShard shardOf(String clientId) {
        return shards[router.shardIndex(clientId)];
    }

    /** How sessions move between cluster nodes; null on a single node. */
    @Nullable
    SessionHandover handover() {
        return handover;
    }

    /**
     * Lets go of the session of {@code clientId}: another node took it. Its connection here, if any, is
     * closed (5.0: Session taken over); nothing of it is written to the store, which is the new owner's.
     */
    public void release(String clientId) {
        shardOf(clientId).release(clientId);
    }

    /**
     * Serves the session {@code recovered}, which this node adopted from a node that is gone or from its
     * own former run (ADR 14): offline, with its will and expiry timers running. Nothing happens when its
     * shard holds it already or another node owns it by then.
     */
    public void adopt(RecoveredSession recovered) {
        shardOf(recovered.record().clientId()).adopt(recovered);
    }

    /**
     * Purges the queue of {@code clientId} as {@code select} says, if a shard of this node holds it (an
     * operator's purge, asked here or on another cluster node); the removals are written like any other.
     * Completes with the number removed once their removal committed; empty when there is no session.
     */
    public CompletableFuture<Optional<Long>> purge(String clientId, Purge select) {
        SessionShard shard = shardOf(clientId);
        return shard.call(() -> {
                    Session s = shard.sessions.get(clientId);
                    return s == null ? null : QueueAdmin.purge(s.outbound, select);
                })
                .thenCompose(f -> f == null
                        ? CompletableFuture.completedFuture(Optional.<Long>empty())
                        : f.thenApply(Optional::of));
    }

    /**
     * Ends the session of {@code clientId} as an operator's delete, if a shard of this node holds it: its
     * connection, if any, is closed (5.0: DISCONNECT 0x98 Administrative action), its will goes, and
     * everything it held is removed; completes once its removal committed.
     */
    public CompletableFuture<OwnerOutcome> deleteByOperator(String clientId) {
        SessionShard shard = shardOf(clientId);
        return shard.call(() -> shard.adminDelete(clientId))
                .thenCompose(removed -> removed == null
                        ? CompletableFuture.completedFuture(OwnerOutcome.NO_SESSION)
                        : removed.thenApply(v -> OwnerOutcome.DONE));
    }

    /**
     * Closes the connection of the session of {@code clientId} as an operator asks (5.0: DISCONNECT 0x98
     * Administrative action), if a shard of this node holds it; the session stays.
     */
    public CompletableFuture<OwnerOutcome> disconnectByOperator(String clientId) {
        SessionShard shard = shardOf(clientId);
        return shard.call(() -> {
            Session s = shard.sessions.get(clientId);
            if (s == null) {
                return OwnerOutcome.NO_SESSION;
            }
            ClientConnection conn = s.connection;
            if (conn == null) {
                return OwnerOutcome.NO_CONNECTION;
            }
            conn.close(ReasonCode.ADMINISTRATIVE_ACTION);
            return OwnerOutcome.DONE;
        });
    }

    /** Messages were forwarded to the inbox of {@code clientId}, which this node serves (ADR 13). */
    public void forwarded(String clientId) {
        shardOf(clientId).pullInbox(clientId);
    }

    /** A message published on another node for this node's sessions that end with their connection (ADR 16). */
    public void relayed(StoredMessage message) {
        VolatileRouting v = volatiles;
        if (v != null) {
            v.relayed(message);
        }
    }

    /** A message for the membership of such a session of this node in a shared subscription (ADR 16). */
    public void relayedShared(StoreCommand.Forward forward) {
        VolatileRouting v = volatiles;
        if (v != null) {
            v.relayedShared(forward);
        }
    }

    /**
     * Sessions that ended with their connection on a node that is gone, or were taken over from another
     * node: their wills go from here (see {@link VolatileRouting#gone}).
     */
    public void volatileGone(List<SessionRecord> records, boolean unlessServed) {
        VolatileRouting v = volatiles;
        if (v != null) {
            v.gone(records, unlessServed);
        }
    }

    /**
     * Closes every client connection of this node with {@code reason} (5.0: DISCONNECT; 3.1.1: the
     * connection is closed); the sessions stay and can be resumed (a cluster node cut off from the
     * majority sends its clients to another node).
     */
    public void disconnectAll(ReasonCode reason) {
        for (SessionShard shard : shards) {
            shard.disconnectAll(reason);
        }
    }

    /** The thread that reads the store past what memory holds, off the shards. */
    ExecutorService reader() {
        return reader;
    }

    List<SessionShard> shards() {
        return List.of(shards);
    }

    Router router() {
        return router;
    }

    BrokerContext context() {
        return context;
    }

    /** Puts back the sessions of a recovered store; completes when every shard has them. */
    public void restore(SessionStore.Recovery recovery) {
        List<List<RecoveredSession>> byShard = new ArrayList<>();
        for (int i = 0; i < shards.length; i++) {
            byShard.add(new ArrayList<>());
        }
        for (RecoveredSession r : recovery.sessions()) {
            byShard.get(router.shardIndex(r.record().clientId())).add(r);
        }
        CompletableFuture<?>[] done = new CompletableFuture<?>[shards.length];
        for (int i = 0; i < shards.length; i++) {
            done[i] = shards[i].restore(byShard.get(i));
        }
        CompletableFuture.allOf(done).join();
    }

    @Override
    public void close() {
        reader.shutdown();
    }
}
