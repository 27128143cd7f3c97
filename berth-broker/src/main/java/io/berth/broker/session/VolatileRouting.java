package io.berth.broker.session;

import io.berth.broker.store.SessionRecord;
import io.berth.broker.store.StoreCommand;
import io.berth.broker.store.StoredMessage;
import io.berth.broker.store.Subscription;
import io.berth.codec.Will;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster only (ADR 16): the sessions of this node that end with their connection (Session Expiry 0,
 * 3.1.1 Clean Session 1), as the other nodes know them. Their records and subscriptions go into the log
 * ({@link StoreCommand.VolatileChange}) for every node's routing index; messages published on other nodes
 * come back relayed in the publishers' entries and are delivered here from memory; and when such a
 * session is gone with its node or taken over by another node, the node that adopted or claimed it
 * publishes its will.
 *
 * <p>Threading: {@link #register} on the session's shard; the others on any thread (the store's
 * committer, in log order), handing the work to the shards.
 */
final class VolatileRouting {
    private static final Logger LOG = LoggerFactory.getLogger(VolatileRouting.class);

    private final Sessions sessions;

    VolatileRouting(Sessions sessions) {
        this.sessions = sessions;
    }

    /**
     * Writes {@code change} of the session {@code s} for the routing index of every node, when this is a
     * cluster node and {@code s} ends with its connection; completes once it is committed and applied
     * here (at once otherwise). Call it in the order of the session's changes.
     */
    static CompletableFuture<Void> register(Sessions owner, Session s, StoreCommand change) {
        return register(owner, s, List.of(change));
    }

    /** As {@link #register(Sessions, Session, StoreCommand)}, for several changes in order, in one submission. */
    static CompletableFuture<Void> register(Sessions owner, Session s, List<StoreCommand> changes) {
        if (owner.handover() == null || s.store.durable() || GroupQueues.isKey(s.clientId) || changes.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        List<StoreCommand> wrapped = new ArrayList<>(changes.size());
        for (StoreCommand c : changes) {
            wrapped.add(new StoreCommand.VolatileChange(c));
        }
        return owner.context().durableStore().submit(wrapped);
    }

    /**
     * Completes once {@code stored} did and, on a cluster node, every member in reach has the log committed
     * as far as this node applied it, so that a publish on any node sees what {@code stored} changed (ADR 16).
     */
    static CompletableFuture<Void> appliedEverywhere(Sessions owner, CompletableFuture<Void> stored) {
        SessionHandover handover = owner.handover();
        return handover == null ? stored : stored.thenCompose(v -> handover.appliedEverywhere());
    }

    /** A message published on another node for the sessions of this node that end with their connection. */
    void relayed(StoredMessage message) {
        for (SessionShard shard : sessions.shards()) {
            shard.onShard(() -> {
                List<Delivery> deliveries = Matches.relayed(shard.context, message, clientId -> {
                    Session s = shard.sessions.get(clientId);
                    return s != null && !s.store.durable();
                });
                if (!deliveries.isEmpty()) {
                    shard.accept(message, deliveries, null);
                }
            });
        }
    }

    /** A message for the membership of such a session in the shared subscription of {@code forward}. */
    void relayedShared(StoreCommand.Forward forward) {
        String shared = forward.sharedFilter();
        if (shared == null) {
            return;
        }
        SessionShard shard = sessions.shardOf(forward.clientId());
        shard.onShard(() -> {
            Session s = shard.sessions.get(forward.clientId());
            Subscription sub = s == null || s.store.durable() ? null : s.subscriptions.get(shared);
            if (s == null || sub == null) {
                // the member left the group or ended meanwhile: another member gets it
                sessions.context().durableStore().submit(new StoreCommand.ForwardShared(shared, forward.message()));
                return;
            }
            Delivery d = new Matches.DeliveryBuilder(s.clientId)
                    .add(forward.message(), sub)
                    .build();
            shard.accept(forward.message(), List.of(d), null);
        });
    }

    /**
     * Sessions that ended with their connection on a node that is gone, or that another node took over:
     * their wills go from here; with {@code unlessServed}, a session of that id this node serves now is
     * written again instead (this node restarted and adopted its former run's sessions after it).
     */
    void gone(List<SessionRecord> records, boolean unlessServed) {
        for (SessionRecord rec : records) {
            SessionShard shard = sessions.shardOf(rec.clientId());
            shard.onShard(() -> {
                Session s = shard.sessions.get(rec.clientId());
                if (unlessServed && s != null && !s.store.durable()) {
                    List<StoreCommand> again = new ArrayList<>();
                    again.add(new StoreCommand.PutSession(s.record));
                    for (Subscription sub : s.subscriptions.values()) {
                        again.add(new StoreCommand.PutSubscription(s.clientId, sub));
                    }
                    register(sessions, s, again);
                    return;
                }
                Will will = rec.will();
                StoredMessage m = will == null ? null : Wills.allowed(shard, rec, will);
                if (m != null) {
                    LOG.debug("will of '{}', whose session ended with its node", rec.clientId());
                    sessions.router().publish(m, shard, null);
                }
            });
        }
    }
}
