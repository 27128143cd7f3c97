package io.berth.broker.routing;

import io.berth.broker.store.Subscription;
import io.berth.codec.Topics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The subscription tree: one node per topic level, wildcards as ordinary children named "+" and "#".
 * Shared subscriptions ({@code $share/group/filter}) sit at the node of their filter, one member map per
 * group.
 *
 * <p>Threading: lock-free reads and writes on concurrent maps; a subscriber's entries are written only
 * by the shard that owns its session, so no two threads write the same entry. Empty nodes are kept
 * (a later subscription to the same filter reuses them).
 */
public final class TopicTree {
    private final Node root = new Node();
    private final AtomicInteger size = new AtomicInteger();

    /** Adds or replaces the subscription of {@code clientId} to {@code sub.filter()}. */
    public void subscribe(String clientId, Subscription sub) {
        String filter = sub.filter();
        String group = Topics.isShared(filter) ? Topics.shareGroup(filter) : null;
        Node node = root;
        for (String level : levels(filter)) {
            node = node.children.computeIfAbsent(level, l -> new Node());
        }
        Subscription previous = group == null
                ? node.subscribers.put(clientId, sub)
                : node.shared
                        .computeIfAbsent(group, g -> new SharedGroup(g, sub.filter()))
                        .members
                        .put(clientId, sub);
        if (previous == null) {
            size.incrementAndGet();
        }
    }

    /** Removes the subscription of {@code clientId} to {@code filter}; true when there was one. */
    public boolean unsubscribe(String clientId, String filter) {
        String group = Topics.isShared(filter) ? Topics.shareGroup(filter) : null;
        Node node = root;
        for (String level : levels(filter)) {
            node = node.children.get(level);
            if (node == null) {
                return false;
            }
        }
        Subscription removed;
        if (group == null) {
            removed = node.subscribers.remove(clientId);
        } else {
            SharedGroup g = node.shared.get(group);
            removed = g == null ? null : g.members.remove(clientId);
        }
        if (removed != null) {
            size.decrementAndGet();
        }
        return removed != null;
    }

    /** The levels of a filter, without a {@code $share/group/} prefix. */
    private static String[] levels(String filter) {
        String afterGroup = Topics.shareFilter(filter);
        return (afterGroup != null ? afterGroup : filter).split("/", -1);
    }

    /** The group of a shared filter ({@code $share/group/filter}), or null when it has none. */
    public @Nullable SharedGroup sharedGroup(String sharedFilter) {
        Node node = root;
        for (String level : levels(sharedFilter)) {
            node = node.children.get(level);
            if (node == null) {
                return null;
            }
        }
        return node.shared.get(Topics.shareGroup(sharedFilter));
    }

    /** How many subscriptions the tree holds. */
    public int size() {
        return size.get();
    }

    /** Calls {@code visitor} for every subscription whose filter matches {@code topic}. */
    public void match(String topic, MatchVisitor visitor) {
        String[] levels = topic.split("/", -1);
        boolean dollar = topic.startsWith("$");
        match(root, levels, 0, dollar, visitor);
    }

    private static void match(Node node, String[] levels, int i, boolean dollar, MatchVisitor visitor) {
        // [MQTT-4.7.2-1] topics starting with $ are not matched by filters starting with a wildcard
        boolean wildcardsAllowed = !(i == 0 && dollar);
        if (wildcardsAllowed) {
            Node multi = node.children.get("#");
            if (multi != null) {
                visit(multi, visitor);
            }
        }
        if (i == levels.length) {
            visit(node, visitor);
            return;
        }
        Node exact = node.children.get(levels[i]);
        if (exact != null) {
            match(exact, levels, i + 1, dollar, visitor);
        }
        if (wildcardsAllowed) {
            Node single = node.children.get("+");
            if (single != null) {
                match(single, levels, i + 1, dollar, visitor);
            }
        }
    }

    private static void visit(Node node, MatchVisitor visitor) {
        for (Map.Entry<String, Subscription> e : node.subscribers.entrySet()) {
            visitor.subscriber(e.getKey(), e.getValue());
        }
        for (SharedGroup g : node.shared.values()) {
            if (!g.members.isEmpty()) {
                visitor.sharedGroup(g);
            }
        }
    }

    /** Receives the matches of one topic. */
    public interface MatchVisitor {
        void subscriber(String clientId, Subscription subscription);

        void sharedGroup(SharedGroup group);
    }

    /** The members of one shared subscription group at one filter. */
    public static final class SharedGroup {
        private final String name;
        private final String sharedFilter;
        final Map<String, Subscription> members = new ConcurrentHashMap<>();
        private final AtomicInteger next = new AtomicInteger();

        SharedGroup(String name, String sharedFilter) {
            this.name = name;
            this.sharedFilter = sharedFilter;
        }

        public String name() {
            return name;
        }

        /** The whole filter, {@code $share/group/filter}: what identifies the group. */
        public String sharedFilter() {
            return sharedFilter;
        }

        public Map<String, Subscription> members() {
            return members;
        }

        /** A rotating start index for choosing the next member. */
        public int nextIndex() {
            return next.getAndIncrement() & Integer.MAX_VALUE;
        }
    }

    private static final class Node {
        final Map<String, Node> children = new ConcurrentHashMap<>();
        final Map<String, Subscription> subscribers = new ConcurrentHashMap<>();
        final Map<String, SharedGroup> shared = new ConcurrentHashMap<>();
    }
}
