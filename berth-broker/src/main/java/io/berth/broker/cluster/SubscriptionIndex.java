package io.berth.broker.cluster;

import io.berth.broker.routing.TopicTree;
import io.berth.broker.store.RecoveredSession;
import io.berth.broker.store.StoreCommand;
import io.berth.broker.store.Subscription;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The subscriptions of every durable session of the cluster, whichever node serves it (ADR 12): kept in
 * step with the applied log, so that a publish on any node finds the sessions of other nodes that match.
 *
 * <p>Threading: written on the state machine's apply thread only (in log order); {@link #tree} is read by
 * the publishers' shards (a {@link TopicTree} on concurrent maps).
 */
final class SubscriptionIndex {
    private final TopicTree tree = new TopicTree();
    /** The filters of each session; apply thread only. */
    private final Map<String, Set<String>> filters = new HashMap<>();

    TopicTree tree() {
        return tree;
    }

    /** Fills the index from the sessions a replica holds; before the first entry is applied. */
    void load(List<RecoveredSession> sessions) {
        for (RecoveredSession s : sessions) {
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
                    tree.unsubscribe(d.clientId(), d.filter());
                }
            } else if (c instanceof StoreCommand.DeleteSession d) {
                Set<String> f = filters.remove(d.clientId());
                if (f != null) {
                    for (String filter : f) {
                        tree.unsubscribe(d.clientId(), filter);
                    }
                }
            }
        }
    }

    private void subscribe(String clientId, Subscription sub) {
        filters.computeIfAbsent(clientId, k -> new LinkedHashSet<>()).add(sub.filter());
        tree.subscribe(clientId, sub);
    }
}
