package io.berth.broker.session;

import io.berth.broker.store.SessionStore;
import io.berth.broker.store.StoreCommand;
import io.berth.broker.store.StoredMessage;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One publish whose queue entries commit in one group with commands of the publisher's session (QoS 2:
 * the inbound packet id, ADR 2), without a future per message:
 *
 * <ol>
 *   <li>each subscriber shard reserves queue positions (at once on the publisher's shard; otherwise in
 *       the per-tick hand-off to that shard, and the reservation comes back in the per-tick hand-off
 *       from it);
 *   <li>once every reservation is back, the entries, the retained change and the publisher's commands
 *       go into the publisher's tick batch together, so that each store gets them in one submission
 *       (atomic: after a crash the message is either routed and its packet id remembered, or neither);
 *   <li>once that committed, each subscriber shard learns it in its per-tick hand-off, starts sending,
 *       and replies, held by {@link Pacing} while an online subscriber of it is far behind, as for QoS 1;
 *   <li>the last reply tells {@link PendingRoute.Done} on the publisher's shard.
 * </ol>
 *
 * <p>Threading: owned by the publisher's shard ({@code here}); the other shards only reserve and reply
 * through {@link SessionShard#handTo}.
 */
final class AtomicRoute {
    private final SessionShard here;
    private final SessionShard[] shards;
    private final StoredMessage message;
    private final SessionStore extraStore;
    private final List<StoreCommand> extra;
    private final List<StoreCommand> durable;
    private final PendingRoute.Done done;

    /** Reservations not back yet, plus one while the route is being built. */
    private int reserving = 1;
    /** Stores whose commit has not come yet. */
    private int committing;
    /** Subscriber shards that have not replied after the commit, plus one while they are being told. */
    private int replying = 1;

    private boolean rejected;
    private @Nullable Throwable error;
    /** What each shard reserved, in shard order; only shards that reserved something. */
    private final List<Reserved> reserved = new ArrayList<>(2);

    private record Reserved(SessionShard shard, List<Prepared> prepared) {}

    /**
     * @param durable commands for the durable store that commit with the entries (the retained change)
     * @param extra commands of the publisher's session on {@code extraStore} (the inbound packet id)
     * @param rejected true when the publish is refused in part already (a retained limit)
     * @param done told on {@code here} once everything committed and every subscriber shard replied
     */
    AtomicRoute(
            SessionShard here,
            SessionShard[] shards,
            StoredMessage message,
            List<StoreCommand> durable,
            SessionStore extraStore,
            List<StoreCommand> extra,
            boolean rejected,
            PendingRoute.Done done) {
        this.here = here;
        this.shards = shards;
        this.message = message;
        this.durable = durable;
        this.extraStore = extraStore;
        this.extra = extra;
        this.rejected = rejected;
        this.done = done;
    }

    /** Starts the route to {@code byShard}, the deliveries by the index of each subscriber's shard. */
    void start(@Nullable List<Delivery>[] byShard) {
        assert here.executor.inEventLoop() : "routed off the publisher's shard";
        for (int i = 0; i < byShard.length; i++) {
            List<Delivery> deliveries = byShard[i];
            if (deliveries == null) {
                continue;
            }
            SessionShard target = shards[i];
            reserving++;
            if (target == here) {
                reserved(target, here.reserve(message, deliveries));
            } else {
                // in the same hand-off as the publisher's other messages for this shard, so their order is kept
                here.handTo(target, () -> {
                    Reservation r = target.reserve(message, deliveries);
                    target.handTo(here, () -> reserved(target, r));
                });
            }
        }
        reserved(null, null);
    }

    private void reserved(@Nullable SessionShard shard, @Nullable Reservation r) {
        if (shard != null && r != null) {
            rejected |= r.rejected();
            if (!r.prepared().isEmpty()) {
                reserved.add(new Reserved(shard, r.prepared()));
            }
        }
        if (--reserving == 0) {
            submit();
        }
    }

    /** Every reservation is back: everything goes into this tick's batch, one submission per store. */
    private void submit() {
        List<SessionStore> stores = new ArrayList<>(2);
        for (StoreCommand c : durable) {
            add(stores, here.context.durableStore(), c);
        }
        for (StoreCommand c : extra) {
            add(stores, extraStore, c);
        }
        for (Reserved r : reserved) {
            for (Prepared p : r.prepared()) {
                add(stores, p.store(), p.enqueue());
            }
        }
        committing = stores.size();
        if (committing == 0) {
            committed();
            return;
        }
        for (SessionStore store : stores) {
            here.batch.whenCommitted(store, this::stored);
        }
    }

    private void add(List<SessionStore> stores, SessionStore store, StoreCommand command) {
        here.batch.add(store, command);
        if (!stores.contains(store)) {
            stores.add(store);
        }
    }

    private void stored(@Nullable Throwable failure) {
        if (failure != null && error == null) {
            error = failure;
        }
        if (--committing == 0) {
            committed();
        }
    }

    /** Tells each subscriber shard that its entries committed; each replies when its pacing allows. */
    private void committed() {
        @Nullable Throwable failure = error;
        for (Reserved r : reserved) {
            SessionShard target = r.shard();
            List<Prepared> prepared = r.prepared();
            replying++;
            here.handTo(target, () -> {
                target.applyCommitted(prepared, failure);
                Pacing.paced(target.sessions, prepared, (refused, e) -> target.handTo(here, this::replied))
                        .done(false, failure);
            });
        }
        replied();
    }

    private void replied() {
        if (--replying == 0) {
            done.done(rejected, error);
        }
    }
}
