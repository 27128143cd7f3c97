package io.berth.broker.session;

import io.berth.broker.config.QueueLimits;
import io.berth.broker.store.RecoveredSession;
import io.berth.broker.store.Subscription;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Operator access to sessions: list, inspect, peek, purge, delete, disconnect. Each request runs as a
 * task on the shard that owns the session, so it sees a consistent state and races with nothing; on a
 * cluster node, what this node does not serve is read from its replica or asked of the session's owner.
 *
 * <p>Threading: any thread; results arrive on the shards' threads.
 */
public final class SessionAdmin {
    private final Sessions sessions;
    /** Null on a single node. */
    private final @Nullable ClusterSessions cluster;

    public SessionAdmin(Sessions sessions) {
        this(sessions, null);
    }

    /**
     * On a cluster node, the list, inspection, peek and purge also reach the sessions that this node
     * does not hold, through {@code cluster} (see {@link ClusterSessions}).
     */
    public SessionAdmin(Sessions sessions, @Nullable ClusterSessions cluster) {
        this.sessions = sessions;
        this.cluster = cluster;
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
        CompletableFuture<Page> remote = remotePage(keep, order, wanted);
        parts.add(remote);
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
        return orRemote(onSession(clientId, this::info), clientId, (c, r) -> remoteInfo(c, r, false));
    }

    /** The first {@code max} queued messages of a session, in flight ones first. */
    public CompletableFuture<Optional<List<QueuedView>>> peek(String clientId, int max) {
        return orRemote(localPeek(clientId, max), clientId, (c, r) -> ReplicaAdmin.peek(c, r, max));
    }

    private CompletableFuture<Optional<List<QueuedView>>> localPeek(String clientId, int max) {
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

    /**
     * Removes queued messages as {@code select} says, in one commit; empty when there is no session. On a
     * cluster node, a session that another node serves is purged by that node, asked through the log, and
     * the count is the one it answers (see {@link ClusterSessions#purge}).
     */
    public CompletableFuture<Optional<Long>> purge(String clientId, Purge select) {
        ClusterSessions c = cluster;
        CompletableFuture<Optional<Long>> local = sessions.purge(clientId, select);
        return c == null
                ? local
                : local.thenCompose(found ->
                        found.isPresent() ? CompletableFuture.completedFuture(found) : c.purge(clientId, select));
    }

    /** How many queued messages {@link #purge} with {@code select} would remove now; empty without a session. */
    public CompletableFuture<Optional<Long>> purgeCount(String clientId, Purge select) {
        long now = sessions.context().clock().getAsLong();
        return orRemote(
                onSession(clientId, s -> QueueAdmin.purgeCount(s.outbound, select)),
                clientId,
                (c, r) -> ReplicaAdmin.purgeCount(c, r, select, now));
    }

    /**
     * {@code local}'s answer, or when this node does not hold the session and is a cluster node, {@code
     * remote} applied to the session as the replica holds it (read off the shards).
     */
    private <T> CompletableFuture<Optional<T>> orRemote(
            CompletableFuture<Optional<T>> local,
            String clientId,
            BiFunction<ClusterSessions, RecoveredSession, T> remote) {
        ClusterSessions c = cluster;
        if (c == null) {
            return local;
        }
        return local.thenApplyAsync(
                found -> {
                    if (found.isPresent()) {
                        return found;
                    }
                    RecoveredSession r = c.read(clientId);
                    return r == null ? Optional.<T>empty() : Optional.of(remote.apply(c, r));
                },
                sessions.reader());
    }

    /**
     * The sessions of other nodes (and this node's not held in memory) that {@code keep} accepts, best
     * {@code wanted} first; an empty page on a single node.
     */
    private CompletableFuture<Page> remotePage(Predicate<SessionInfo> keep, Comparator<SessionInfo> order, int wanted) {
        ClusterSessions c = cluster;
        if (c == null) {
            return CompletableFuture.completedFuture(new Page(0, 0, List.of()));
        }
        List<CompletableFuture<List<String>>> held = new ArrayList<>();
        for (SessionShard shard : sessions.shards()) {
            held.add(shard.call(() -> new ArrayList<>(shard.sessions.keySet())));
        }
        return CompletableFuture.allOf(held.toArray(CompletableFuture[]::new))
                .thenApplyAsync(
                        v -> {
                            Set<String> here = new HashSet<>();
                            held.forEach(h -> here.addAll(h.join()));
                            PriorityQueue<SessionInfo> best = new PriorityQueue<>(order.reversed());
                            long total = 0;
                            long matching = 0;
                            for (Map.Entry<String, String> e : new TreeMap<>(c.owners()).entrySet()) {
                                if (here.contains(e.getKey()) || GroupQueues.isKey(e.getKey())) {
                                    continue;
                                }
                                RecoveredSession r = c.read(e.getKey());
                                if (r == null) {
                                    continue; // a claim of a client id without a session
                                }
                                total++;
                                SessionInfo i = remoteInfo(c, r, true);
                                if (!keep.test(i)) {
                                    continue;
                                }
                                matching++;
                                best.add(i);
                                if (best.size() > wanted) {
                                    best.poll();
                                }
                            }
                            return new Page(total, matching, new ArrayList<>(best));
                        },
                        sessions.reader());
    }

    private SessionInfo remoteInfo(ClusterSessions c, RecoveredSession r, boolean summary) {
        String id = r.record().clientId();
        String node = c.owners().get(id);
        QueueLimits limits =
                sessions.context().config().limits().of(id, r.record().owner());
        return ReplicaAdmin.info(r, node == null ? "" : node, limits, summary);
    }

    /**
     * Ends a session as if it expired (its will, if pending, is sent; its connection is closed with 5.0
     * DISCONNECT 0x98). On a cluster node, a session that another node serves is ended by that node, asked
     * through the log (see {@link ClusterSessions#delete}).
     */
    public CompletableFuture<OwnerOutcome> delete(String clientId) {
        return orOwner(sessions.deleteByOperator(clientId), clientId, ClusterSessions::delete);
    }

    /**
     * Closes the connection of a session (5.0: DISCONNECT 0x98); the session stays. On a cluster node, the
     * node that serves the session closes it, asked through the log.
     */
    public CompletableFuture<OwnerOutcome> disconnect(String clientId) {
        return orOwner(sessions.disconnectByOperator(clientId), clientId, ClusterSessions::disconnect);
    }

    /** {@code local}'s outcome, or when this node holds no such session, the owner's through {@code cluster}. */
    private CompletableFuture<OwnerOutcome> orOwner(
            CompletableFuture<OwnerOutcome> local,
            String clientId,
            BiFunction<ClusterSessions, String, CompletableFuture<OwnerOutcome>> remote) {
        ClusterSessions c = cluster;
        if (c == null) {
            return local;
        }
        return local.thenCompose(
                o -> o == OwnerOutcome.NO_SESSION ? remote.apply(c, clientId) : CompletableFuture.completedFuture(o));
    }

    private <T> CompletableFuture<Optional<T>> onSession(String clientId, java.util.function.Function<Session, T> f) {
        SessionShard shard = sessions.shardOf(clientId);
        return shard.call(() -> {
            Session s = shard.sessions.get(clientId);
            return s == null ? Optional.<T>empty() : Optional.of(f.apply(s));
        });
    }

    /** What a list shows of a session: no subscriptions, no inbound ids. */
    private SessionInfo summary(Session s) {
        return info(s, List.of(), List.of());
    }

    private SessionInfo info(Session s) {
        return info(s, new ArrayList<>(s.inbound.keySet()), new ArrayList<>(s.subscriptions.values()));
    }

    private SessionInfo info(Session s, List<Integer> inbound, List<Subscription> subscriptions) {
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
                s.outbound.limits(),
                cluster == null ? null : cluster.nodeId());
    }
}
