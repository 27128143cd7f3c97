package io.berth.broker.session;

import io.berth.broker.routing.RetainedIndex;
import io.berth.broker.routing.TopicTree;
import io.berth.broker.store.QueuedMessage;
import io.berth.broker.store.SessionStore;
import io.berth.broker.store.StoreCommand;
import io.berth.broker.store.StoredMessage;
import io.berth.broker.store.Subscription;
import io.berth.codec.QoS;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Hands a published message to its subscribers. Matching runs on the publisher's shard.
 *
 * <p>Most publishes need no atomicity beyond each subscriber's own entry ({@link #publish}): each
 * subscriber's shard queues the message in its own tick batch, and the publisher's shard hears back per
 * tick, not per message. A publish whose commit must be atomic with a command of the publisher's session
 * (QoS 2: the inbound packet id, ADR 2; a move out of a shared group's queue) takes the other way
 * ({@link #publishAtomically}, {@link AtomicRoute}): each subscriber's shard reserves queue positions,
 * then everything is submitted as one group, so that after a crash a QoS 2 message is either fully routed
 * and remembered, or neither.
 *
 * <p>Threading: called on the publisher's shard; stateless apart from final references and the time of
 * the last refused-retained log line (an atomic shared by the shards).
 */
final class Router {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Router.class);
    private static final long RETAINED_LOG_INTERVAL_NANOS = 10_000_000_000L;

    private final BrokerContext context;
    private final SessionShard[] shards;
    /** Cluster only: the subscriptions of every durable session of the cluster (ADR 13); null on a single node. */
    private final @Nullable TopicTree cluster;
    /** Null on a single node. */
    private final @Nullable SessionHandover handover;
    /** When a refused retained message was last logged (System.nanoTime), shared by every shard. */
    private final java.util.concurrent.atomic.AtomicLong lastRetainedLog =
            new java.util.concurrent.atomic.AtomicLong(System.nanoTime() - RETAINED_LOG_INTERVAL_NANOS - 1);

    Router(BrokerContext context, SessionShard[] shards, @Nullable SessionHandover handover) {
        this.context = context;
        this.shards = shards;
        this.handover = handover;
        this.cluster = handover == null ? null : handover.subscriptions();
    }

    /**
     * Routes {@code message} from the shard {@code here} (the caller's). {@code done}, when not null, is
     * told on {@code here} once every subscriber's entry and the retained change committed.
     */
    void publish(StoredMessage message, SessionShard here, PendingRoute.@Nullable Done done) {
        assert here.executor.inEventLoop() : "published off the publisher's shard";
        PendingRoute route = done == null ? null : new PendingRoute(done);
        RetainChange retained = retain(message);
        if (retained.command() != null) {
            here.batch.add(context.durableStore(), retained.command());
            if (route != null) {
                route.expect();
            }
            here.batch.whenCommitted(context.durableStore(), error -> {
                if (error == null) {
                    retained.committed(context);
                }
                if (route != null) {
                    route.part(false, error);
                }
            });
        }
        if (retained.refused() && route != null) {
            // delivered but not retained: 5.0 publishers learn it (0x97), as when a queue refuses a message
            route.expect();
            route.part(true, null);
        }
        Forwards forwarded = forwarded(message);
        if (!forwarded.isEmpty()) {
            forwarded.commands(message, c -> here.batch.add(context.durableStore(), c));
            if (route != null) {
                route.expect();
                here.batch.whenCommitted(context.durableStore(), error -> route.part(false, error));
            }
        }
        @Nullable List<Delivery>[] byShard = match(message, forwarded);
        for (int i = 0; i < byShard.length; i++) {
            List<Delivery> deliveries = byShard[i];
            if (deliveries == null) {
                continue;
            }
            SessionShard target = shards[i];
            if (route == null) {
                here.handTo(target, () -> target.accept(message, deliveries, null));
                continue;
            }
            route.expect();
            if (target == here) {
                here.accept(message, deliveries, route::part);
            } else {
                // one task per target shard and tick carries these; the reply comes back the same way
                here.handTo(
                        target,
                        () -> target.accept(
                                message,
                                deliveries,
                                (rejected, error) -> target.handTo(here, () -> route.part(rejected, error))));
            }
        }
        if (route != null) {
            route.ready();
        }
    }

    /**
     * What a publish changes of the retained messages: the command that makes it durable (null for
     * none), and whether a limit refused it.
     */
    private record RetainChange(@Nullable StoreCommand command, boolean refused) {
        static final RetainChange NONE = new RetainChange(null, false);

        /** The command committed: a retained payload may now be read from the store when needed. */
        void committed(BrokerContext context) {
            if (command instanceof StoreCommand.PutRetained put) {
                context.retained().committed(put.message());
            }
        }
    }

    /** Updates the retained index; returns the change to make durable, or the refusal. */
    private RetainChange retain(StoredMessage message) {
        if (!message.retain()) {
            return RetainChange.NONE;
        }
        // [MQTT-3.3.1-6] [MQTT-3.3.1-10] a retained message replaces the previous one; empty clears it
        if (message.payload().length == 0) {
            context.retained().remove(message.topic());
            return new RetainChange(new StoreCommand.DeleteRetained(message.topic()), false);
        }
        RetainedIndex.Refusal refusal = context.retained().put(message);
        if (refusal != null) {
            refuseRetained(message, refusal);
            return new RetainChange(null, true);
        }
        return new RetainChange(new StoreCommand.PutRetained(message), false);
    }

    /** A retained message past a limit: delivered to subscribers, not retained; counted and logged. */
    private void refuseRetained(StoredMessage message, RetainedIndex.Refusal refusal) {
        context.metrics().limitHit(refusal.limit());
        long now = System.nanoTime();
        long last = lastRetainedLog.get();
        if (now - last > RETAINED_LOG_INTERVAL_NANOS && lastRetainedLog.compareAndSet(last, now)) {
            LOG.warn(
                    "retained message of '{}' on '{}' not retained: {} reached (counted in"
                            + " berth_limit_hits_total; logged at most every 10 s)",
                    message.publisherId(),
                    message.topic(),
                    refusal.limit());
        }
    }

    /**
     * Routes {@code message} and commits it atomically with {@code extra} (commands of the publisher's
     * session on {@code extraStore}); {@code done} is told on {@code here} once all of it committed and the
     * subscribers' shards let the acknowledgement go (see {@link AtomicRoute}).
     */
    void publishAtomically(
            StoredMessage message,
            SessionShard here,
            SessionStore extraStore,
            List<StoreCommand> extra,
            PendingRoute.Done done) {
        RetainChange retained = retain(message);
        Forwards forwarded = forwarded(message);
        List<StoreCommand> durable;
        if (forwarded.isEmpty()) {
            durable = retained.command() == null ? List.of() : List.of(retained.command());
        } else {
            durable = new ArrayList<>();
            if (retained.command() != null) {
                durable.add(retained.command());
            }
            forwarded.commands(message, durable::add);
        }
        new AtomicRoute(here, shards, message, durable, extraStore, extra, retained.refused(), (rejected, error) -> {
                    if (error == null) {
                        retained.committed(context);
                    }
                    done.done(rejected, error);
                })
                .start(match(message, forwarded));
    }

    /**
     * Moves a message from a shared group's queue to a member's queue: the member's entry and the
     * removal from the group's queue commit together. Completes with false, and removes nothing, when
     * the member did not take a QoS 1/2 message (no receive right, its queue refused it, its session
     * ended): the group's queue keeps it.
     */
    CompletableFuture<Boolean> transfer(
            QueuedMessage queued,
            SessionShard here,
            String member,
            Subscription sub,
            String groupKey,
            SessionStore groupStore) {
        List<Integer> ids = sub.subscriptionId() > 0 ? List.of(sub.subscriptionId()) : List.of();
        Delivery d = new Delivery(member, QoS.min(queued.entry().qos(), sub.qos()), false, ids);
        StoreCommand out = new StoreCommand.Dequeue(
                groupKey,
                queued.entry().seq(),
                queued.message().id(),
                queued.message().sizeBytes());
        return shards[shardIndex(member)]
                .prepare(here, queued.message(), List.of(d))
                .thenCompose(r -> {
                    if (r.prepared().isEmpty() && d.qos() != QoS.AT_MOST_ONCE) {
                        return CompletableFuture.completedFuture(false);
                    }
                    return commit(List.of(), groupStore, List.of(out), r.prepared())
                            .thenApply(v -> true);
                });
    }

    private CompletableFuture<Void> commit(
            List<StoreCommand> durable, SessionStore extraStore, List<StoreCommand> extra, List<Prepared> prepared) {
        Map<SessionStore, List<StoreCommand>> byStore = new IdentityHashMap<>();
        if (!durable.isEmpty()) {
            byStore.put(context.durableStore(), durable);
        }
        if (!extra.isEmpty()) {
            byStore.computeIfAbsent(extraStore, s -> new ArrayList<>()).addAll(extra);
        }
        for (Prepared p : prepared) {
            byStore.computeIfAbsent(p.store(), s -> new ArrayList<>()).add(p.enqueue());
        }
        Map<SessionStore, CompletableFuture<Void>> commits = new IdentityHashMap<>();
        for (Map.Entry<SessionStore, List<StoreCommand>> e : byStore.entrySet()) {
            commits.put(e.getKey(), e.getKey().submit(e.getValue()));
        }
        if (!prepared.isEmpty()) {
            Map<Integer, List<Prepared>> byShard = new HashMap<>();
            for (Prepared p : prepared) {
                byShard.computeIfAbsent(shardIndex(p.clientId()), i -> new ArrayList<>())
                        .add(p);
            }
            for (Map.Entry<Integer, List<Prepared>> e : byShard.entrySet()) {
                SessionShard shard = shards[e.getKey()];
                List<Prepared> list = e.getValue();
                // one store per shard list in practice; wait for every store the list touches
                CompletableFuture<?>[] waits = list.stream()
                        .map(p -> commits.get(p.store()))
                        .distinct()
                        .toArray(CompletableFuture[]::new);
                CompletableFuture.allOf(waits).whenComplete((v, error) -> shard.committed(list, error));
            }
        }
        return CompletableFuture.allOf(commits.values().toArray(CompletableFuture[]::new));
    }

    int shardIndex(String clientId) {
        return Math.floorMod(clientId.hashCode(), shards.length);
    }

    /**
     * The deliveries of a message, by the index of each subscriber's shard (null where none), but for the
     * sessions and shared groups it is {@code forwarded} to.
     */
    private @Nullable List<Delivery>[] match(StoredMessage message, Forwards forwarded) {
        return Matches.of(context, message, shards.length, forwarded.clients(), forwarded.groups());
    }

    /**
     * Cluster only (ADR 13): the durable sessions of the cluster, served here or on another node, that get
     * {@code message} through their inboxes, in log order (their owners work out the delivery), and the
     * shared subscriptions with such members, one of which gets it.
     */
    private Forwards forwarded(StoredMessage message) {
        TopicTree c = cluster;
        SessionHandover h = handover;
        if (c == null || h == null) {
            return Forwards.NONE;
        }
        // sessions of other nodes that end with their connection: relayed to their node (ADR 16)
        Forwards to = new Forwards(
                new LinkedHashSet<>(), new LinkedHashSet<>(), h.relayNodes(message.topic(), message.publisherId()));
        c.match(message.topic(), new TopicTree.MatchVisitor() {
            @Override
            public void subscriber(String clientId, Subscription sub) {
                // [MQTT-3.8.3-3] No Local: not to the publisher's own subscription
                if (!(sub.noLocal() && clientId.equals(message.publisherId()))) {
                    to.clients().add(clientId);
                }
            }

            @Override
            public void sharedGroup(TopicTree.SharedGroup group) {
                // one member of the group, on any node, chosen when the entry is applied
                to.groups().add(group.sharedFilter());
            }
        });
        return to;
    }

    /**
     * Cluster only: the sessions a message is forwarded to, the shared subscriptions (by shared filter)
     * one member of which gets it, and the other nodes whose sessions that end with their connection get
     * it relayed (ADR 16).
     */
    private record Forwards(Set<String> clients, Set<String> groups, Set<String> nodes) {
        static final Forwards NONE = new Forwards(Set.of(), Set.of(), Set.of());

        boolean isEmpty() {
            return clients.isEmpty() && groups.isEmpty() && nodes.isEmpty();
        }

        void commands(StoredMessage message, java.util.function.Consumer<StoreCommand> add) {
            for (String clientId : clients) {
                add.accept(new StoreCommand.Forward(clientId, message));
            }
            for (String filter : groups) {
                add.accept(new StoreCommand.ForwardShared(filter, message));
            }
            for (String node : nodes) {
                add.accept(new StoreCommand.Relay(node, message));
            }
        }
    }
}
