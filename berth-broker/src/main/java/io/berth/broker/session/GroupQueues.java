package io.berth.broker.session;

import io.berth.broker.routing.TopicTree;
import io.berth.broker.store.QueuedMessage;
import io.berth.broker.store.Subscription;
import io.berth.codec.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The queues of shared subscription groups. While no online member of a group may receive a message
 * (every member offline, or without the receive right on its topic), it waits in the group's own
 * queue: a session without a connection whose id is {@link #key} of the group's filter. When a member
 * comes online (or subscribes), the group's shard hands the waiting messages to online members that
 * may receive them, each move committed atomically (the entry leaves the group queue in the same batch
 * as it joins the member's), so nothing is lost or doubled by a crash in between; a message that no
 * member takes stays.
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
        if (members.members().keySet().stream().noneMatch(shard.context.online()::containsKey)) {
            return;
        }
        List<QueuedMessage> batch = QueueAdmin.take(group.outbound, BATCH);
        List<CompletableFuture<Boolean>> moves = new ArrayList<>(batch.size());
        int next = members.nextIndex();
        for (QueuedMessage q : batch) {
            Map.Entry<String, Subscription> member =
                    receiver(shard.context, members, next++, q.message().topic());
            if (member == null) {
                // no online member may receive it: it stays, for a member that may
                QueueAdmin.taken(group.outbound, q, false);
                continue;
            }
            CompletableFuture<Boolean> moved =
                    owner.router().transfer(q, shard, member.getKey(), member.getValue(), key, group.store);
            moves.add(moved.whenCompleteAsync(
                    (done, error) -> QueueAdmin.taken(group.outbound, q, error == null && done), shard.executor));
        }
        if (batch.size() == BATCH && !moves.isEmpty()) {
            // go on while messages move; what no member may take stays at the head
            CompletableFuture.allOf(moves.toArray(CompletableFuture[]::new))
                    .whenCompleteAsync(
                            (v, e) -> {
                                if (moves.stream().anyMatch(m -> Boolean.TRUE.equals(m.getNow(false)))) {
                                    drain(key);
                                }
                            },
                            shard.executor);
        }
    }

    /**
     * The member of {@code group} that gets a message of {@code topic}: the first online member, round
     * robin from {@code start}, that may receive the topic; null when none may (the group's queue then
     * keeps the message). Any thread: reads the concurrent member map and online table.
     */
    static Map.@Nullable Entry<String, Subscription> receiver(
            BrokerContext context, TopicTree.SharedGroup group, int start, String topic) {
        List<Map.Entry<String, Subscription>> members =
                new ArrayList<>(group.members().entrySet());
        for (int i = 0; i < members.size(); i++) {
            Map.Entry<String, Subscription> m = members.get(Math.floorMod(start + i, members.size()));
            String principal = context.online().get(m.getKey());
            if (principal != null && context.authorizer().canReceive(principal, m.getKey(), topic)) {
                return m;
            }
        }
        return null;
    }

    /** True when {@code sub} is a shared subscription, whose group queue may hold messages. */
    static boolean isShared(Subscription sub) {
        return Topics.isShared(sub.filter());
    }
}
