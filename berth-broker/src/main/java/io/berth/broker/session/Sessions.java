package io.berth.broker.session;

import io.berth.broker.store.RecoveredSession;
import io.berth.broker.store.SessionStore;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

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

    /** @param loops the event loops of the shards, one per shard, in order */
    public Sessions(BrokerContext context, List<ShardLoop> loops) {
        this.context = context;
        this.shards = new SessionShard[loops.size()];
        this.reader = Executors.newSingleThreadExecutor(new DefaultThreadFactory("berth-reader", true));
        long heldPerShard = HeldBudget.defaultTotal() / shards.length;
        for (int i = 0; i < shards.length; i++) {
            shards[i] = new SessionShard(i, loops.get(i), context, this, reader, heldPerShard);
        }
        this.router = new Router(context, shards);
    }

    /** The shard that owns the session of {@code clientId}. */
    public SessionShard shardOf(String clientId) {
        return shards[router.shardIndex(clientId)];
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
