package io.berth.broker.session;

import io.berth.broker.store.Subscription;
import io.berth.codec.ReasonCode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * Operator access to sessions: list, inspect, peek, purge, delete, disconnect. Each request runs as a
 * task on the shard that owns the session, so it sees a consistent state and races with nothing.
 *
 * <p>Threading: any thread; results arrive on the shards' threads.
 */
public final class SessionAdmin {
    private final Sessions sessions;

    public SessionAdmin(Sessions sessions) {
        this.sessions = sessions;
    }

    /** Every session, from all shards. */
    public CompletableFuture<List<SessionInfo>> list() {
        List<CompletableFuture<List<SessionInfo>>> parts = new ArrayList<>();
        for (SessionShard shard : sessions.shards()) {
            parts.add(shard.call(() -> {
                List<SessionInfo> out = new ArrayList<>(shard.sessions.size());
                for (Session s : shard.sessions.values()) {
                    out.add(info(s));
                }
                return out;
            }));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<SessionInfo> all = new ArrayList<>();
            parts.forEach(p -> all.addAll(p.join()));
            return all;
        });
    }

    /**
     * One page of sessions.
     *
     * @param total sessions in all
     * @param matching sessions the filter accepted
     * @param sessions the page, in order; without subscriptions and inbound QoS 2 ids
     */
    public record Page(long total, long matching, List<SessionInfo> sessions) {}

    /**
     * The sessions {@code keep} accepts, ordered by {@code order}, from {@code offset}, at most
     * {@code limit}. Each shard filters its own sessions and keeps only its best {@code offset + limit}
     * in a bounded heap, so neither memory nor the answer grows with the number of sessions.
     */
    public CompletableFuture<Page> page(
            Predicate<SessionInfo> keep, Comparator<SessionInfo> order, int offset, int limit) {
        int wanted = (int) Math.min(Integer.MAX_VALUE - 1L, (long) offset + limit);
        List<CompletableFuture<Page>> parts = new ArrayList<>();
        for (SessionShard shard : sessions.shards()) {
            parts.add(shard.call(() -> {
                PriorityQueue<SessionInfo> best = new PriorityQueue<>(order.reversed());
                long matching = 0;
                for (Session s : shard.sessions.values()) {
                    SessionInfo i = summary(s);
                    if (!keep.test(i)) {
                        continue;
                    }
                    matching++;
                    if (best.size() < wanted) {
                        best.add(i);
                    } else if (order.compare(i, best.peek()) < 0) {
                        best.poll();
                        best.add(i);
                    }
                }
                return new Page(shard.sessions.size(), matching, new ArrayList<>(best));
            }));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(v -> {
            long total = 0;
            long matching = 0;
            List<SessionInfo> all = new ArrayList<>();
            for (CompletableFuture<Page> p : parts) {
                Page page = p.join();
                total += page.total();
                matching += page.matching();
                all.addAll(page.sessions());
            }
            all.sort(order);
            List<SessionInfo> picked = offset >= all.size()
                    ? List.of()
                    : List.copyOf(all.subList(offset, Math.min(all.size(), offset + limit)));
            return new Page(total, matching, picked);
        });
    }

    public CompletableFuture<Optional<SessionInfo>> session(String clientId) {
        return onSession(clientId, SessionAdmin::info);
    }

    /** The first {@code max} queued messages of a session, in flight ones first. */
    public CompletableFuture<Optional<List<QueuedView>>> peek(String clientId, int max) {
        return onSession(
                clientId,
                s -> QueueAdmin.peek(s.outbound, max).stream()
                        .map(q -> new QueuedView(
                                q.entry().seq(),
                                q.message().topic(),
                                q.entry().qos().value(),
                                q.entry().retain(),
                                q.message().arrivalMillis(),
                                q.message().payload()))
                        .toList());
    }

    /** Removes queued messages as {@code select} says, in one commit; empty when there is no session. */
    public CompletableFuture<Optional<Long>> purge(String clientId, Purge select) {
        SessionShard shard = sessions.shardOf(clientId);
        return shard.call(() -> {
                    Session s = shard.sessions.get(clientId);
                    return s == null ? null : QueueAdmin.purge(s.outbound, select);
                })
                .thenCompose(f -> f == null
                        ? CompletableFuture.completedFuture(Optional.<Long>empty())
                        : f.thenApply(Optional::of));
    }

    /** How many queued messages {@link #purge} with {@code select} would remove now; empty without a session. */
    public CompletableFuture<Optional<Long>> purgeCount(String clientId, Purge select) {
        return onSession(clientId, s -> QueueAdmin.purgeCount(s.outbound, select));
    }

    /** Ends a session as if it expired (its will, if pending, is sent); false when there is none. */
    public CompletableFuture<Boolean> delete(String clientId) {
        SessionShard shard = sessions.shardOf(clientId);
        return shard.call(() -> shard.adminDelete(clientId));
    }

    /** Closes the connection of a session (5.0: DISCONNECT 0x98); the session stays. */
    public CompletableFuture<Boolean> disconnect(String clientId) {
        return onSession(clientId, s -> {
                    if (s.connection == null) {
                        return false;
                    }
                    s.connection.close(ReasonCode.ADMINISTRATIVE_ACTION);
                    return true;
                })
                .thenApply(o -> o.orElse(false));
    }

    private <T> CompletableFuture<Optional<T>> onSession(String clientId, java.util.function.Function<Session, T> f) {
        SessionShard shard = sessions.shardOf(clientId);
        return shard.call(() -> {
            Session s = shard.sessions.get(clientId);
            return s == null ? Optional.<T>empty() : Optional.of(f.apply(s));
        });
    }

    /** What a list shows of a session: no subscriptions, no inbound ids. */
    private static SessionInfo summary(Session s) {
        return info(s, List.of(), List.of());
    }

    private static SessionInfo info(Session s) {
        return info(s, new ArrayList<>(s.inbound.keySet()), new ArrayList<>(s.subscriptions.values()));
    }

    private static SessionInfo info(Session s, List<Integer> inbound, List<Subscription> subscriptions) {
        return new SessionInfo(
                s.clientId,
                s.connection != null && s.attached,
                s.record.version().name(),
                s.record.disconnectedAtMillis(),
                s.record.expiryIntervalSeconds(),
                s.outbound.count(),
                s.outbound.bytes(),
                s.outbound.inflightCount(),
                inbound,
                subscriptions,
                s.record.will() == null ? null : s.record.will().topic(),
                s.record.owner(),
                s.outbound.limits());
    }
}
