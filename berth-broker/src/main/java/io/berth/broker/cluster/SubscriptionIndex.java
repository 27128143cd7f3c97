package io.berth.broker.cluster;

import io.berth.broker.routing.TopicTree;
import io.berth.broker.store.RecoveredSession;
import io.berth.broker.store.StoreCommand;
import io.berth.broker.store.Subscription;
import io.berth.codec.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The subscriptions of every durable session of the cluster, whichever node serves it (ADR 13): kept in
 * step with the applied log, so that a publish on any node finds the sessions of other nodes that match;
 * and, for shared subscriptions, the members of each group and which sessions were last connected, so
 * that every node picks the same member for a message of the log. The shared subscriptions of sessions
 * that end with their connection are members too, marked with the node that serves them ({@link
 * VolatileIndex}, ADR 16): such a member is connected while it is known.
 *
 * <p>Threading: written on the state machine's apply thread only (in log order); {@link #tree} is read by
 * the publishers' shards (a {@link TopicTree} on concurrent maps).
 */
final class SubscriptionIndex {
    private final TopicTree tree = new TopicTree();
    /** The filters of each session; apply thread only. */
    private final Map<String, Set<String>> filters = new HashMap<>();
    /** The members of each shared filter, sorted; apply thread only. */
    private final Map<String, TreeSet<String>> groups = new HashMap<>();
    /** Sessions whose last record says connected; apply thread only. */
    private final Set<String> connected = new HashSet<>();
    /** The node of each session that ends with its connection and is known here (ADR 16); apply thread only. */
    private final Map<String, String> volatileNodes = new HashMap<>();

    TopicTree tree() {
        return tree;
    }

    /**
     * Fills the index from the sessions a replica holds, in place of what it held (at start, and after a
     * snapshot replaced the replica); before the next entry is applied.
     */
    void load(List<RecoveredSession> sessions) {
        filters.forEach((clientId, f) -> f.forEach(filter -> tree.unsubscribe(clientId, filter)));
        filters.clear();
        groups.clear();
        connected.clear();
        for (RecoveredSession s : sessions) {
            if (s.record().disconnectedAtMillis() == 0) {
                connected.add(s.record().clientId());
            }
            for (Subscription sub : s.subscriptions()) {
                subscribe(s.record().clientId(), sub);
            }
        }
    }

    /** Follows the subscription changes of applied commands. */
    void apply(List<StoreCommand> commands) {
        for (StoreCommand c : commands) {
            if (c instanceof StoreCommand.PutSubscription p) {
                subscribe(p.clientId(), p.subscription());
            } else if (c instanceof StoreCommand.DeleteSubscription d) {
                Set<String> f = filters.get(d.clientId());
                if (f != null && f.remove(d.filter())) {
                    unsubscribe(d.clientId(), d.filter());
                }
            } else if (c instanceof StoreCommand.PutSession p) {
                if (p.session().disconnectedAtMillis() == 0) {
                    connected.add(p.session().clientId());
                } else {
                    connected.remove(p.session().clientId());
                }
            } else if (c instanceof StoreCommand.DeleteSession d) {
                connected.remove(d.clientId());
                Set<String> f = filters.remove(d.clientId());
                if (f != null) {
                    for (String filter : f) {
                        unsubscribe(d.clientId(), filter);
                    }
                }
            }
        }
    }

    private void subscribe(String clientId, Subscription sub) {
        filters.computeIfAbsent(clientId, k -> new LinkedHashSet<>()).add(sub.filter());
        tree.subscribe(clientId, sub);
        if (Topics.isShared(sub.filter())) {
            groups.computeIfAbsent(sub.filter(), k -> new TreeSet<>()).add(clientId);
        }
    }

    private void unsubscribe(String clientId, String filter) {
        tree.unsubscribe(clientId, filter);
        TreeSet<String> members = groups.get(filter);
        if (members != null && members.remove(clientId) && members.isEmpty()) {
            groups.remove(filter);
        }
    }

    /**
     * The member of the shared subscription {@code sharedFilter} that gets the {@code turn}-th message
     * of the group: round robin over the members last connected, or over all of them when none is (the
     * message then waits in that member's inbox); null when the group has no member. The same on every
     * node for the same applied log.
     */
    @Nullable
    String member(String sharedFilter, long turn) {
        TreeSet<String> members = groups.get(sharedFilter);
        if (members == null) {
            return null;
        }
        List<String> online = new ArrayList<>(members.size());
        for (String m : members) {
            if (connected.contains(m) || volatileNodes.containsKey(m)) {
                online.add(m);
            }
        }
        List<String> from = online.isEmpty() ? new ArrayList<>(members) : online;
        return from.get((int) Math.floorMod(turn, (long) from.size()));
    }
    /** {@code clientId} is a session that ends with its connection, served by {@code node} (null: no more). */
    void volatileSession(String clientId, @Nullable String node) {
        if (node == null) {
            volatileNodes.remove(clientId);
        } else {
            volatileNodes.put(clientId, node);
        }
    }

    /** The node that serves {@code clientId} when it is a session that ends with its connection, else null. */
    @Nullable
    String volatileNode(String clientId) {
        return volatileNodes.get(clientId);
    }

    /** A shared subscription of a session that ends with its connection: a member of its group (ADR 16). */
    void subscribeShared(String clientId, Subscription sub) {
        tree.subscribe(clientId, sub);
        groups.computeIfAbsent(sub.filter(), k -> new TreeSet<>()).add(clientId);
    }

    /** The end of a shared subscription that {@link #subscribeShared} made. */
    void unsubscribeShared(String clientId, String sharedFilter) {
        unsubscribe(clientId, sharedFilter);
    }
}
