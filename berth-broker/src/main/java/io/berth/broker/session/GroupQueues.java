package io.berth.broker.session;

import io.berth.broker.routing.TopicTree;
import io.berth.broker.store.QueuedMessage;
import io.berth.broker.store.Subscription;
import io.berth.codec.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The queues of shared subscription groups. While every member of a group is offline, its messages wait
 * in the group's own queue: a session without a connection whose id is {@link #key} of the group's
 * filter. When a member comes online (or subscribes), the group's shard hands the waiting messages to
 * the online members, each move committed atomically (the entry leaves the group queue in the same
 * batch as it joins the member's), so nothing is lost or doubled by a crash in between.
 *
 * <p>Threading: every method runs on the shard that owns the group's key.
 */
final class GroupQueues {
    /** Starts every group key: U+0000 cannot be part of a client id, so no client can take a key. */
    private static final String PREFIX = "\u0000";

    private static final int BATCH = 256;

    private final SessionShard shard;
    private final Sessions owner;

    GroupQueues(SessionShard shard, Sessions owner) {
        this.shard = shard;
        this.owner = owner;
    }

    /** The session id of the queue of a shared filter ({@code $share/group/filter}). */
    static String key(String sharedFilter) {
        return PREFIX + sharedFilter;
    }

    static boolean isKey(String clientId) {
        return clientId.startsWith(PREFIX);
    }

    static String sharedFilter(String key) {
        return key.substring(PREFIX.length());
    }

    /** Hands what the group's queue holds to its online members, in batches, oldest first. */
    void drain(String key) {
        Session group = shard.sessions.get(key);
        if (group == null || group.outbound.count() == 0) {
            return;
        }
        TopicTree.SharedGroup members = shard.context.tree().sharedGroup(sharedFilter(key));
        if (members == null) {
            return;
        }
        List<Map.Entry<String, Subscription>> online = new ArrayList<>();
        for (Map.Entry<String, Subscription> m : members.members().entrySet()) {
            if (shard.context.online().contains(m.getKey())) {
                online.add(m);
            }
        }
        if (online.isEmpty()) {
            return;
        }
        List<QueuedMessage> batch = QueueAdmin.take(group.outbound, BATCH);
        List<CompletableFuture<?>> moves = new ArrayList<>(batch.size());
        int next = members.nextIndex();
        for (QueuedMessage q : batch) {
            Map.Entry<String, Subscription> member = online.get(next++ % online.size());
            CompletableFuture<Routed> moved =
                    owner.router().transfer(q, member.getKey(), member.getValue(), key, group.store);
            moves.add(moved.whenCompleteAsync(
                    (v, error) -> QueueAdmin.taken(group.outbound, q, error == null), shard.executor));
        }
        if (batch.size() == BATCH) {
            CompletableFuture.allOf(moves.toArray(CompletableFuture[]::new))
                    .whenCompleteAsync((v, e) -> drain(key), shard.executor);
        }
    }

    /** True when {@code sub} is a shared subscription, whose group queue may hold messages. */
    static boolean isShared(Subscription sub) {
        return Topics.isShared(sub.filter());
    }
}
